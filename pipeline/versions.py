"""The layout of a dataset root that a run reads before it decides to work: LATEST, the lock, the
records of which version a pipeline and its inputs produced (DATASET.md).

Kept apart from pipeline.dataset (the writer, with pyarrow) so that confirming an unchanged
corpus imports neither pyarrow nor numpy.
"""

import errno
import fcntl
import json
import os
import time
from pathlib import Path

from pipeline.errors import DatasetError

LATEST = "LATEST"
LOCK = ".lock"
STAGING_PREFIX = ".staging-"
RUNS = ".runs"


class DatasetLock:
    """An exclusive lock on a dataset root; waits up to timeout seconds, then fails clearly."""

    def __init__(self, root: Path, timeout: float = 600.0):
        self.path = root / LOCK
        self.timeout = timeout
        self._fh = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "a+")
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                    self._fh.close()
                    raise DatasetError(
                        f"another run is writing to {self.path.parent} (lock {self.path} held); "
                        "wait for it to finish or use another --output"
                    ) from exc
                time.sleep(0.2)

    def __exit__(self, *exc):
        fcntl.flock(self._fh, fcntl.LOCK_UN)
        self._fh.close()


def read_latest(root: Path) -> str | None:
    path = root / LATEST
    if not path.exists():
        return None
    vid = path.read_text(encoding="utf-8").strip()
    return vid if vid and (root / vid / "manifest.json").exists() else None


def version_for_run(root: Path, fingerprints: tuple[str, str]) -> str | None:
    """The complete version an earlier run with the same fingerprints produced, if any: as recorded
    under .runs, or LATEST when its manifest names these fingerprints (a dataset root copied or
    cloned without its .runs, which is local: the run that wrote the version had them)."""
    path = root / RUNS / f"{fingerprints[0][:24]}-{fingerprints[1][:24]}"
    if path.exists():
        vid = path.read_text(encoding="utf-8").strip()
        return vid if (root / vid / "manifest.json").exists() else None
    latest = read_latest(root)
    if latest is None or not all(fingerprints):
        return None
    try:
        fields = manifest_fields(root / latest)
    except (OSError, ValueError):
        return None
    return latest if (fields.get("pipeline_fingerprint"), fields.get("inputs_fingerprint")) == fingerprints else None


def made_by_pipeline(root: Path, vid: str, pipeline_fingerprint: str) -> bool:
    """Did a run of the pipeline with this fingerprint produce version vid (on any inputs)?

    A version's manifest names the pipeline of the run that first wrote it; a later run of
    another pipeline that wrote the same tables finds it in place and only records its run.
    """
    if not pipeline_fingerprint:
        return False
    for path in (root / RUNS).glob(f"{pipeline_fingerprint[:24]}-*"):
        try:
            if path.read_text(encoding="utf-8").strip() == vid:
                return True
        except OSError:
            continue
    return False


def record_run(root: Path, fingerprints: tuple[str, str], vid: str) -> None:
    """Remember which version the pipeline and inputs with these fingerprints produced."""
    if not all(fingerprints):
        return
    runs = root / RUNS
    runs.mkdir(exist_ok=True)
    tmp = runs / f".{os.getpid()}.tmp"
    tmp.write_text(vid + "\n", encoding="utf-8")
    os.replace(tmp, runs / f"{fingerprints[0][:24]}-{fingerprints[1][:24]}")


def manifest_fields(vdir: Path) -> dict:
    """manifest.json of a version without its per-input list (which grows with the corpus).

    The writer puts one input per block at indent 4, so the list ends at the only top-level
    "  ]," line after it; a manifest in another layout is parsed whole.
    """
    text = (vdir / "manifest.json").read_text(encoding="utf-8")
    start = text.find('\n  "inputs": [\n')
    end = text.find("\n  ],\n", start) if start >= 0 else -1
    if start >= 0 and end >= 0:
        text = text[:start] + text[end + len("\n  ],"):]
    fields = json.loads(text)
    fields.pop("inputs", None)
    return fields
