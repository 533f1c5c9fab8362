"""CPU seconds of the batch work in one process: the number to compare two commits by.

    python benchmarks/batch_cpu.py CORPUS_DIR

Runs what a worker runs (pipeline.process.process_paths and the Arrow encoding) over every batch of
CORPUS_DIR, after the warm-up, without Prefect, Dask or the writer, and prints the articles and the
CPU and wall seconds of the batches alone. This VM's speed drifts by several percent within minutes,
more than a change to one stage moves a whole run, so compare commits by interleaved runs of this
script from a worktree of each (cwd and PYTHONPATH the worktree), e.g. for the 10k corpus that
`throughput.py --articles 10000 --keep /tmp/b10k` builds:

    for i in 1 2 3; do for wt in /work/wt_old /work/wt_new; do
      (cd $wt && PYTHONPATH=$wt python benchmarks/batch_cpu.py /tmp/b10k/corpus); done; done
"""

import sys
import time
from pathlib import Path


def warmed_config():
    """The config of a run without the task cache, after the warm-up a forked worker starts with."""
    from pipeline.config import PipelineConfig
    from pipeline.process import warm_up

    config = PipelineConfig(cache=False)
    warm_up(config)
    return config


def run_batches(corpus: Path, config) -> int:
    """What a worker runs over every batch of corpus: the stages and the Arrow encoding; the articles."""
    from pipeline.dataset import encode_batch
    from pipeline.process import process_paths
    from pipeline.stages.ingest import discover_inputs, plan_batches

    return sum(len(encode_batch(process_paths(corpus, units, config)).articles)
               for units in plan_batches(corpus, discover_inputs(corpus), config.batch_size))


def main() -> None:
    corpus = Path(sys.argv[1])
    config = warmed_config()
    cpu, wall = time.process_time(), time.perf_counter()
    n = run_batches(corpus, config)
    print(f"{n} articles: {time.process_time() - cpu:.2f} s CPU, {time.perf_counter() - wall:.2f} s wall")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main()
