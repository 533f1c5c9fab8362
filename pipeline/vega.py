"""Vega-Lite specs to SVG in a helper process, so that a report's plots render beside its article pages.

vl-convert renders in a JavaScript engine and holds the GIL while it does: the report's four
plots took ~0.65 s of a commit's ~1.5 s of report, in the flow process, after every batch was
done. A helper started while the batches run (the report's preload) has its engine warm by the
commit; it renders the specs on the machine's other core, the Dask workers being done by then,
while the flow process writes the article pages.

The helper is ``python -m pipeline.vega``: a JSON list of specs a line on stdin, a JSON line back
with their SVGs (or the error). It ends when its stdin closes, so it cannot outlive the process
that started it. Whatever goes wrong with it (no start, a crash, an error), ``render`` renders in
this process instead, as the report did before: the same vl-convert, the same SVGs.
"""

import atexit
import json
import os
import select
import subprocess
import sys
import threading
from pathlib import Path

#: Seconds to wait for the helper's SVGs (the four plots take ~1 s) before rendering them here.
REPLY_TIMEOUT = 60.0
#: A small spec whose rendering starts vl-convert's JavaScript engine (~1 s on first use).
WARM_SPEC = {"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}


def render_here(specs: list[dict]) -> list[str]:
    """The SVGs of specs, rendered in this process."""
    import vl_convert as vlc

    return [vlc.vegalite_to_svg(spec) for spec in specs]


class Helper:
    """The helper process, for one request: submit() sends the specs at once and returns a function
    that waits for their SVGs, then closes the helper."""

    def __init__(self):
        # the pipeline package this process runs, whatever the working directory
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH")) if p)}
        self._proc = subprocess.Popen([sys.executable, "-m", "pipeline.vega"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)

    def submit(self, specs: list[dict]):
        """Send specs to the helper; the returned function gives their SVGs (rendered here if the helper fails)."""
        # written by a thread: specs over a pipe's buffer (64 KB) wait for the helper to read them
        sender = threading.Thread(target=self._send, args=(json.dumps(specs).encode("utf-8") + b"\n",), daemon=True)
        sender.start()

        def result() -> list[str]:
            svgs = None
            try:
                # a helper that hangs (its engine, or a debugger's stop) costs REPLY_TIMEOUT, not the run
                if select.select([self._proc.stdout], [], [], REPLY_TIMEOUT)[0]:
                    reply = json.loads(self._proc.stdout.readline())  # b"" when the helper died: ValueError
                    if isinstance(reply, dict) and len(reply.get("svgs", ())) == len(specs):
                        svgs = reply["svgs"]
            except (OSError, ValueError):
                pass
            finally:
                self.close(kill=svgs is None)  # killed first: a sender blocked on its pipe lets go
            return svgs if svgs is not None else render_here(specs)

        return result

    def _send(self, line: bytes) -> None:
        try:
            self._proc.stdin.write(line)
            self._proc.stdin.flush()
        except (OSError, ValueError):  # the helper is gone (BrokenPipe), or closed: result() renders here
            pass

    def close(self, kill: bool = False) -> None:
        """Close the helper's stdin (it ends) and wait for it, briefly; kill: end it first. Again: nothing."""
        if self._proc.returncode is not None:
            return
        atexit.unregister(self.close)  # registered by start_helper: a long-lived process runs many reports
        if kill:
            self._proc.kill()
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc.stdout.close()


_helper: Helper | None = None
_helper_lock = threading.Lock()


def start_helper() -> None:
    """Start a helper for this process's next render() unless one is waiting; it warms its engine
    while this process goes on."""
    global _helper

    with _helper_lock:
        if _helper is None:
            try:
                _helper = Helper()
            except OSError:
                return
            atexit.register(_helper.close)  # one that was never used


def render(specs: list[dict]):
    """Start rendering specs; returns a function that gives their SVGs.

    In the helper start_helper() started (which it uses up), else in this process when the function is called.
    """
    global _helper

    with _helper_lock:
        helper, _helper = _helper, None
    if helper is None:
        return lambda: render_here(specs)
    return helper.submit(specs)


def main() -> None:
    """The helper: a line of specs in, a line of SVGs out, until stdin closes."""
    import vl_convert as vlc

    vlc.vegalite_to_svg(WARM_SPEC)
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        try:
            reply = {"svgs": [vlc.vegalite_to_svg(spec) for spec in json.loads(line)]}
        except Exception as exc:  # noqa: BLE001 - reported to the caller, who renders the specs itself
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(reply).encode("utf-8") + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
