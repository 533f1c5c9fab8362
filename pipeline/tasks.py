"""Prefect tasks: thin wrappers of pipeline.process over batches of articles.

Task inputs are small and serialisable (paths, models, config); the spaCy
pipeline is built inside, once per worker process. Clean and extract results
are cached, keyed on the batch's article ids and the pipeline fingerprint, so an
article whose bytes and pipeline are unchanged is not processed again.
"""

import hashlib
from datetime import timedelta
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from pipeline import process
from pipeline.config import PipelineConfig
from pipeline.fingerprint import pipeline_fingerprint
from schemas.document import Batch, CleanedBatch, IngestedBatch

CACHE_DAYS = 30


def _key(kind: str, ids: list[str], config: PipelineConfig) -> str:
    h = hashlib.sha256(f"{kind}|{pipeline_fingerprint(config)}".encode())
    for i in ids:
        h.update(i.encode() + b"\0")
    return f"dangjian-{kind}-{h.hexdigest()}"


def clean_cache_key(context, parameters) -> str | None:
    if not parameters["config"].cache:
        return None
    ing: IngestedBatch = parameters["ingested"]
    return _key("clean", [f"{r.source_path}|{r.sha256}" for r in ing.raws] + [b.model_dump_json() for b in ing.bad],
                parameters["config"])


def extract_cache_key(context, parameters) -> str | None:
    if not parameters["config"].cache:
        return None
    cleaned: CleanedBatch = parameters["cleaned"]
    return _key("extract", [f"{r.path}|{r.sha256}|{r.status}" for r in cleaned.inputs], parameters["config"])


@task(name="ingest-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest_batch(root: str, units: list, config: PipelineConfig) -> IngestedBatch:
    """units: file paths, or (path, byte start, byte end, first line) ranges of JSONL corpora."""
    result = process.ingest_batch(Path(root), units, config)
    get_run_logger().info("ingested %d units: %d documents, %d quarantined", len(units), len(result.raws), len(result.bad))
    return result


@task(name="clean-batch", cache_key_fn=clean_cache_key, cache_expiration=timedelta(days=CACHE_DAYS),
      persist_result=True, retries=1)
def clean_batch(ingested: IngestedBatch, config: PipelineConfig) -> CleanedBatch:
    result = process.clean_batch(ingested, config)
    get_run_logger().info("cleaned %d documents (%d inputs)", len(result.docs), len(result.inputs))
    return result


@task(name="extract-batch", cache_key_fn=extract_cache_key, cache_expiration=timedelta(days=CACHE_DAYS),
      persist_result=True, retries=1)
def extract_batch(cleaned: CleanedBatch, config: PipelineConfig) -> Batch:
    batch = process.extract_batch(cleaned, config)
    get_run_logger().info(
        "extracted from %d articles: %d counts, %d initiatives, %d events, %d persons",
        len(batch.articles), len(batch.counts), len(batch.initiatives), len(batch.events), len(batch.persons),
    )
    return batch
