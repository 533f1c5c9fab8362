"""The Prefect flow: ingest -> clean -> extract per batch, streamed into one dataset version."""

from pathlib import Path

from prefect import flow, get_run_logger

from pipeline.config import PipelineConfig
from pipeline.dataset import DatasetLock, DatasetWriter, remove_leftovers
from pipeline.package import finalize_version
from pipeline.process import _ordered_inputs
from pipeline.stages.ingest import discover_inputs
from pipeline.tasks import clean_batch, extract_batch, ingest_batch


def chunked(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


@flow(name="dangjian-extract", log_prints=False)
def extract_flow(input_dir: str = "seeds", output_dir: str = "data", config: PipelineConfig | None = None) -> dict:
    """Run the pipeline over every input under input_dir and write a new version under output_dir."""
    config = config or PipelineConfig()
    logger = get_run_logger()
    root, out = Path(input_dir), Path(output_dir)
    paths = discover_inputs(root)
    logger.info("%d input files under %s", len(paths), root)
    with DatasetLock(out):
        for name in remove_leftovers(out):
            logger.warning("removed leftover staging dir %s of an interrupted run", name)
        with DatasetWriter(out, root, config) as writer:
            for chunk in chunked(paths, config.batch_size):
                raws, bad_ingest = ingest_batch(str(root), chunk, config)
                docs, bad_clean = clean_batch(raws, config)
                batch = extract_batch(docs, config)
                batch.inputs = _ordered_inputs(raws, batch.inputs, bad_ingest + bad_clean)
                writer.add(batch)
            manifest, is_new = writer.commit(finalize=finalize_version)
    summary = summarize(manifest, out, is_new)
    logger.info("version %s: %s", summary["version_id"], summary["rows"])
    return summary


def summarize(manifest, out: Path, is_new: bool) -> dict:
    reasons: dict[str, int] = {}
    for rec in manifest.inputs:
        if rec.status != "ok":
            reasons[rec.reason.split(":")[0]] = reasons.get(rec.reason.split(":")[0], 0) + 1
    return {
        "version_id": manifest.version_id,
        "path": str(out / manifest.version_id),
        "new_version": is_new,
        "rows": {name: t.rows for name, t in manifest.tables.items()},
        "n_ok": manifest.n_ok,
        "n_quarantined": manifest.n_quarantined,
        "quarantine_reasons": reasons,
    }
