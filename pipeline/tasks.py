"""Prefect tasks: thin wrappers of pipeline.process over batches of articles.

One task per batch runs ingest -> clean -> extract (pipeline.process, where each
stage is a pure function). Its inputs are small (work units and config) and it
returns only rows: passing documents between per-stage tasks made Prefect walk
thousands of models in every parameter, and Dask ship them between workers,
which cost more than the stages themselves. The spaCy pipeline is built inside,
once per worker process.

The task's result is cached, keyed on the bytes of its inputs and the pipeline
fingerprint, so a batch whose articles and pipeline are unchanged is not
processed again; in a batch that did change, the unchanged articles take their
rows from the previous version (pipeline.reuse).
"""

from datetime import timedelta
from pathlib import Path

from prefect import get_run_logger, task

from pipeline.config import PipelineConfig
from pipeline.dataset import EncodedBatch
from pipeline.fingerprint import batch_cache_key
from pipeline.reuse import process_units

CACHE_DAYS = 30


#: What a Dask worker loads when it unpickles its first task run (~1.3 s of imports): loaded
#: before the flow starts (pipeline.cluster.local_cluster).
WORKER_PREFECT_MODULES = ("prefect.task_engine", "prefect_dask.client")


@task(name="process-batch", cache_key_fn=batch_cache_key, cache_expiration=timedelta(days=CACHE_DAYS),
      persist_result=True, retries=1, retry_delay_seconds=1)
def process_batch(root: str, units: list, config: PipelineConfig, reuse: str | None = None) -> EncodedBatch:
    """Ingest, clean and extract one batch of work units (file paths or JSONL record ranges).

    Returns the rows already encoded as Arrow tables and JSONL (pipeline.dataset.encode_batch),
    so that the encoding runs on the workers and the flow only appends. reuse: the path of the
    run's pipeline.reuse index; unchanged articles take their rows from the previous version.
    It changes how rows are made, not which: the cache key leaves it out.
    """
    batch = process_units(Path(root), units, config, reuse)
    n_bad = sum(1 for r in batch.inputs if r.status != "ok")
    get_run_logger().info(
        "batch of %d inputs: %d articles (%d reused), %d quarantined; %d counts, %d initiatives, %d events, "
        "%d persons", len(batch.inputs), batch.rows("articles"), batch.reused, n_bad, batch.rows("counts"),
        batch.rows("initiatives"), batch.rows("events"), batch.rows("persons"),
    )
    return batch
