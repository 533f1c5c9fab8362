"""Where the time goes, by sampling: py-spy over the pipeline's batch work in one process.

    python benchmarks/sampled_profile.py CORPUS_DIR [--rate 200] [--top 30] [--keep FILE]

Runs pipeline.process.process_paths and the Arrow encoding over CORPUS_DIR in batches (a worker's
share of a run, without Prefect or the writer; the warm-up first, as a forked worker has it) in a
child process that py-spy samples RATE times a second, then prints the share of samples per
function: its own (time in C code it calls, a regex or rjieba, counts as the caller's) and
including what it calls, among the samples taken in the batches (imports and warm-up left out). Unlike cProfile (benchmarks/profile_functions.py), sampling does not slow
Python code more than C code, so the shares are the real ones. py-spy comes with the dev extras.
"""

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: A frame of py-spy's raw output: "function (path/to/file.py:line)".
RE_FRAME = re.compile(r"^(?P<func>.*?) \((?:.*/(?:site-packages|lib/python3\.\d+)/)?(?P<file>[^:]*?)(?::\d+)?\)$")


def work(corpus: Path) -> None:
    """The sampled process: warm up, then every batch through the stages and the encoder."""
    sys.path.insert(0, str(ROOT))
    from batch_cpu import run_batches, warmed_config  # this script's directory: the same batch work

    config = warmed_config()
    t0 = time.perf_counter()
    run_batches(corpus, config)
    print(f"batches: {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def frame_name(frame: str) -> str:
    m = RE_FRAME.match(frame)
    return f"{m['func']} ({m['file'].removeprefix(str(ROOT) + '/')})" if m else frame


#: A sample of the batches' work (not of the imports and the warm-up before them) has one of these on its stack.
BATCH_FRAMES = ("process_paths (pipeline/process.py)", "encode_batch (pipeline/dataset.py)")


def shares(raw: Path) -> tuple[int, int, collections.Counter, collections.Counter]:
    """Samples in all and of the batches; per function, samples of the batches with it on top of the stack
    (own) and anywhere in it (total)."""
    own, total, n, n_all = collections.Counter(), collections.Counter(), 0, 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        frames = [frame_name(f) for f in stack.split(";")]
        n_all += int(count)
        if not any(f in BATCH_FRAMES for f in frames):
            continue
        n += int(count)
        own[frames[-1]] += int(count)
        for name in set(frames):
            total[name] += int(count)
    return n_all, n, own, total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--rate", type=int, default=200, help="samples a second")
    ap.add_argument("--top", type=int, default=30, help="functions to list in each ranking")
    ap.add_argument("--keep", type=Path, default=None, help="keep py-spy's raw output here")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        work(args.corpus)
        return
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        sys.exit("py-spy is not installed: pip install py-spy (it comes with the dev extras: pip install -e '.[dev]')")
    with tempfile.TemporaryDirectory() as tmp:
        raw = args.keep or Path(tmp) / "raw.txt"
        subprocess.run([spy, "record", "-r", str(args.rate), "-f", "raw", "-o", str(raw), "--",
                        sys.executable, __file__, "--child", str(args.corpus)], check=True, stdout=subprocess.DEVNULL)
        n_all, n, own, total = shares(raw)
    print(f"{n_all} samples, {n} of them in the batches (the rest: imports and the warm-up); shares of those")
    for title, counter in (("own time", own), ("including callees", total)):
        print(f"\n{title}:")
        for name, count in counter.most_common(args.top):
            print(f"  {100 * count / n:5.1f} %  {name}")


if __name__ == "__main__":
    main()
