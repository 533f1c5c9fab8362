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

import base64
import pickle
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
from prefect import get_run_logger, task
from prefect.serializers import Serializer
from pydantic import Field

from pipeline.config import PipelineConfig
from pipeline.dataset import EncodedBatch
from pipeline.fingerprint import batch_cache_key
from pipeline.reuse import process_units

CACHE_DAYS = 30


class BatchSerializer(Serializer):
    """How a batch's result is stored in the task cache: pickle, zstd (level 1), base64 on one line.

    Prefect's default (cloudpickle, base64 with a line break every 76 characters, in a JSON record)
    took ~0.25 s a batch of 2,000 articles in the worker (py-spy of a 100k run: 6.5 s of each worker's
    25 s), a third of it base64's line breaks; the record was ~10 MB a 1,000 articles. This one is
    about a third of that in time and size. Prefect finds it by its type when it reads a cached result
    (in the process that runs the task, where this module is loaded).
    """

    type: str = Field(default="dangjian-batch", frozen=True)

    def dumps(self, obj) -> bytes:
        raw = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        return base64.b64encode(len(raw).to_bytes(8, "little") + _ZSTD.compress(raw, asbytes=True))

    def loads(self, blob: bytes):
        data = base64.b64decode(blob)
        size = int.from_bytes(data[:8], "little")
        return pickle.loads(_ZSTD.decompress(data[8:], decompressed_size=size, asbytes=True))


_ZSTD = pa.Codec("zstd", compression_level=1)


@task(name="process-batch", cache_key_fn=batch_cache_key, cache_expiration=timedelta(days=CACHE_DAYS),
      persist_result=True, result_serializer=BatchSerializer(), retries=1, retry_delay_seconds=1)
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
