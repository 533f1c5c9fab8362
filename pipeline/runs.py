"""What a run decides before Prefect is loaded, and what it reports after: the unchanged-corpus
check and the run summary. Nothing here imports Prefect, so an unchanged corpus is confirmed
in the time it takes to hash the inputs."""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from pipeline.config import PipelineConfig
from pipeline.versions import DatasetLock, read_latest, version_for_run
from pipeline.fingerprint import inputs_fingerprint, pipeline_fingerprint
from pipeline.stages.ingest import discover_inputs
from schemas.manifest import Manifest, ManifestHead


def unchanged_summary(input_dir: str, output_dir: str, config: PipelineConfig) -> dict | None:
    """The summary of the LATEST version when it was made from these inputs by this pipeline, else None."""
    root, out = Path(input_dir), Path(output_dir)
    if not config.cache or not root.is_dir() or not out.is_dir():
        return None
    with DatasetLock(out, timeout=config.lock_timeout):
        fingerprints = (pipeline_fingerprint(config), inputs_fingerprint(root, discover_inputs(root)))
        manifest = unchanged_version(out, read_latest(out), fingerprints)
    return None if manifest is None else summarize(manifest, out, is_new=False)


#: (input_dir, output_dir) of the flow run_flow starts once it (or its caller) has found that the inputs or
#: the pipeline changed since LATEST (unchanged_summary). Here, not in pipeline.flows: Dask pickles the
#: flow's function by value, with the globals it names, and a ContextVar does not pickle.
_CHANGED: ContextVar[tuple[str, str] | None] = ContextVar("dangjian_changed_since_latest", default=None)


@contextlib.contextmanager
def changed_since_latest(input_dir: str, output_dir: str) -> Iterator[None]:
    """Within: the flow over these dirs need not hash its inputs before its batches to look for an unchanged
    corpus, only beside them, for the manifest (1.4 s before the first batch at 100k articles). A flow
    started otherwise (a deployment) checks first itself. If the inputs changed back in the seconds
    between, the run makes the version LATEST already is: the same rows, nothing lost."""
    token = _CHANGED.set((input_dir, output_dir))
    try:
        yield
    finally:
        _CHANGED.reset(token)


def known_changed(input_dir: str, output_dir: str) -> bool:
    return _CHANGED.get() == (input_dir, output_dir)


def unchanged_version(out: Path, previous: str | None, fingerprints: tuple[str, str]) -> ManifestHead | None:
    """The LATEST version when an earlier run with the same pipeline and inputs made it."""
    vid = version_for_run(out, fingerprints)
    if not vid or vid != previous:
        return None
    return ManifestHead.of(Manifest.model_validate_json((out / vid / "manifest.json").read_text(encoding="utf-8")))


def summarize(manifest: ManifestHead, out: Path, is_new: bool, n_reused: int = 0) -> dict:
    """What a run made (n_reused: articles whose rows came from the previous version, pipeline.reuse)."""
    reasons: dict[str, int] = {}
    for rec in manifest.quarantined:
        key = rec.reason.split(":")[0]
        reasons[key] = reasons.get(key, 0) + 1
    return {
        "version_id": manifest.version_id,
        "path": str(out / manifest.version_id),
        "new_version": is_new,
        "rows": {name: t.rows for name, t in manifest.tables.items()},
        "n_ok": manifest.n_ok,
        "n_quarantined": manifest.n_quarantined,
        "quarantine_reasons": reasons,
        "n_reused": n_reused,
    }
