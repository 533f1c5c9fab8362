"""Pathological inputs: time and peak memory of a run on each, alone.

    python benchmarks/adversarial.py [--scale 1.0] [--timeout 120] [--only NAME ...]

Scraped pages are not always prose: a page with no end punctuation, a table dumped on
one line, quotes that never close, thousands of dotted words or title words in a row.
Rules that look at a sentence's quotes, lists or titles are quadratic in what a sentence
holds, and every row carries its sentence as evidence, so such a page once took minutes
(or 5 GB) and stopped a run. Each input here (~100 KB to 1 MB at scale 1) runs alone
through tests/helpers/run_plain.py (the flow's calls without Prefect) in a fresh
process; the table gives its size, wall time, peak RSS (of that process: imports and
warm-up included, ~0.3 GB and ~3 s with nothing to do) and outcome. A run that hits
the timeout is a hang to fix.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD = "区委书记王强讲话,全区5739个党组织、12.9万名党员参加“红墙先锋”工程。"


def inputs(n: int) -> dict[str, str]:
    """name -> content of each pathological input, n repetitions of its unit."""
    return {
        "no_end_punctuation.txt": "党员" * n * 15,
        "title_words.txt": "书记" * n * 5 + "王强讲话。",
        "digits_and_measures.txt": ("1" * 50 + "个") * (n // 4),
        "quotes_never_closed.txt": "“" * n * 2 + GOOD + "”" * n * 2,
        "quoted_list.txt": "“红墙先锋”、" * n + "等品牌。",
        "dotted_words.txt": "艾尔肯·吐尼亚孜·" * n,
        "name_list.txt": "王强、" * n * 2 + "等同志参加。",
        "titled_names.txt": "党委书记王强、" * n,
        "parentheses.txt": "(" * n * 3 + GOOD + ")" * n * 3,
        "dated_clauses.txt": "3月5日上午，区委召开会议，" * n,
        "percent_words.txt": "百分之" * n * 3,
        "ranges.txt": "3至5个" * n * 2,
        "pinyin_pasted.txt": "區(qū)委(wěi)書(shū)記(jì)" * n,
        "one_long_number.txt": "1" * n * 10 + "个党员。",
        "end_marks_only.txt": "。" * n * 10,
        "many_paragraphs.txt": "党员\n" * n * 5,
        "many_elements.html": "<html><body>" + "<p>党</p>" * n * 5 + "</body></html>",
        "big_table.html": "<html><body><table>" + "<tr><td>党员</td><td>5739个</td></tr>" * n + "</table></body></html>",
        "half_surrogates.jsonl": "".join('{"id": "%d", "title": "\\ud800", "text": "\\udc00%s"}\n' % (i, GOOD)
                                         for i in range(n // 10)),
    }


#: The child: run_plain, then its own peak RSS (KiB) as the last line of stderr.
CHILD = """
import atexit, resource, runpy, sys
atexit.register(lambda: print(f"maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr))
sys.argv = ["run_plain", *sys.argv[1:]]
runpy.run_path("tests/helpers/run_plain.py", run_name="__main__")
"""


def run_one(path: Path, timeout: float) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB, outcome) of run_plain on a directory holding only path."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "data"
        src.mkdir()
        shutil.copy(path, src / path.name)
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(src), str(out)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        peak = float("nan")
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
            lines = stderr.strip().splitlines()
            if lines and lines[-1].startswith("maxrss "):
                peak = int(lines.pop().split()[1]) / 1024
            outcome = f"version {stdout.split()[-1]}" if proc.returncode == 0 else f"exit {proc.returncode}: " + (
                lines or [""])[-1][:80]
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            outcome = f"TIMEOUT after {timeout:.0f} s"
        wall = time.perf_counter() - t0
        if outcome.startswith("version"):
            import json

            manifest = json.loads((out / stdout.split()[-1] / "manifest.json").read_text(encoding="utf-8"))
            rows = sum(t["rows"] for t in manifest["tables"].values())
            bad = [r["code"] for r in manifest["inputs"] if r["status"] != "ok"]
            outcome += f", {rows} rows" + (f", quarantined {','.join(sorted(set(bad)))}" if bad else "")
    return wall, peak, outcome


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="repetitions of each input's unit: 20,000 x scale")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--only", nargs="*", help="input names to run (default: all)")
    args = ap.parse_args()
    cases = inputs(int(20_000 * args.scale))
    print(f"{'input':<26} {'size':>9} {'wall':>8} {'peak RSS':>10}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in cases.items():
            if args.only and name not in args.only:
                continue
            path = Path(tmp) / name
            path.write_text(content, encoding="utf-8")
            wall, peak, outcome = run_one(path, args.timeout)
            print(f"{name:<26} {path.stat().st_size / 1e3:>7.0f} KB {wall:>6.1f} s {peak:>6.0f} MiB  {outcome}",
                  flush=True)


if __name__ == "__main__":
    main()
