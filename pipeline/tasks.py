"""Prefect tasks: thin wrappers of pipeline.process over batches of articles.

Task inputs are small and serialisable (paths, models, config); the spaCy
pipeline is built inside, once per process. Article-level failures become
quarantine records inside the batch; programming errors still fail the task.
"""

from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from pipeline import process
from pipeline.config import PipelineConfig
from schemas.document import Batch, Document, RawDocument
from schemas.manifest import InputRecord


@task(name="ingest-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def ingest_batch(root: str, paths: list[str], config: PipelineConfig) -> tuple[list[RawDocument], list[InputRecord]]:
    raws, bad = process.ingest_paths(Path(root), paths, config)
    get_run_logger().info("ingested %d files: %d documents, %d quarantined", len(paths), len(raws), len(bad))
    return raws, bad


@task(name="clean-batch", cache_policy=NO_CACHE)
def clean_batch(raws: list[RawDocument], config: PipelineConfig) -> tuple[list[Document], list[InputRecord]]:
    docs, bad = process.clean_documents(raws, config)
    get_run_logger().info("cleaned %d documents, %d quarantined", len(docs), len(bad))
    return docs, bad


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_batch(docs: list[Document], config: PipelineConfig) -> Batch:
    batch = process.extract_documents(docs, config)
    get_run_logger().info(
        "extracted from %d articles: %d counts, %d initiatives, %d events, %d persons",
        len(batch.articles), len(batch.counts), len(batch.initiatives), len(batch.events), len(batch.persons),
    )
    return batch
