"""Where the time goes, function by function: cProfile of the pipeline's batch work in one process.

    python benchmarks/profile_functions.py CORPUS_DIR [--limit N] [--top 40]

CORPUS_DIR is any input folder, e.g. the corpus `benchmarks/throughput.py --keep DIR` leaves in
DIR/corpus. Runs pipeline.process.process_paths over it in batches (as a Prefect task does, without
Prefect or the writer) and prints: wall and CPU time, the time the cyclic garbage collector took,
then the functions with the most time of their own and the most time including callees.
cProfile roughly doubles the time of Python-heavy code; read the shares, not the seconds.
"""

import argparse
import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=None, help="only the first N input files")
    ap.add_argument("--top", type=int, default=40, help="functions to list in each ranking")
    ap.add_argument("--batch-size", type=int, default=None, help="articles per batch (default: the pipeline's)")
    args = ap.parse_args()

    from pipeline.config import PipelineConfig
    from pipeline.process import process_paths, warm_up
    from pipeline.stages.ingest import discover_inputs, plan_batches

    config = PipelineConfig(**({"batch_size": args.batch_size} if args.batch_size else {}))
    warm_up(config)
    batches = plan_batches(args.corpus, discover_inputs(args.corpus)[:args.limit], config.batch_size)

    in_gc, started = [0.0], [0.0]

    def on_gc(phase: str, _info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            in_gc[0] += time.perf_counter() - started[0]

    gc.callbacks.append(on_gc)
    profiler = cProfile.Profile()
    wall, cpu = time.perf_counter(), time.process_time()
    n_articles = 0
    profiler.enable()
    for units in batches:
        n_articles += len(process_paths(args.corpus, units, config).articles)
    profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    gc.callbacks.remove(on_gc)
    print(f"{n_articles} articles in {len(batches)} batches: {wall:.1f} s wall, {cpu:.1f} s CPU under cProfile; "
          f"garbage collector {in_gc[0]:.2f} s")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
