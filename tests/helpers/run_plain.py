"""Run the pipeline without Prefect in a subprocess (the kill and concurrency tests use it).

    python tests/helpers/run_plain.py INPUT OUTPUT [BATCH_SIZE] [LOCK_TIMEOUT]

The same calls the flow makes (lock, leftovers, batches, commit with validation),
without the temporary Prefect server, so a test can start and kill it many times.
"""

import sys
from pathlib import Path

from pipeline.config import PipelineConfig
from pipeline.dataset import DatasetLock, DatasetWriter, remove_leftovers
from pipeline.errors import DatasetError
from pipeline.package import finalize_version
from pipeline.process import process_paths
from pipeline.stages.ingest import discover_inputs, plan_batches


def main() -> int:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 600
    config = PipelineConfig(batch_size=batch, lock_timeout=timeout)
    try:
        with DatasetLock(out, timeout=timeout):
            remove_leftovers(out)
            with DatasetWriter(out, src, config) as writer:
                for units in plan_batches(src, discover_inputs(src), batch):
                    writer.add(process_paths(src, units, config))
                manifest, _new = writer.commit(finalize=finalize_version)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(manifest.version_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
