"""Fingerprints that decide when work can be skipped: the pipeline's and the inputs'.

The pipeline fingerprint covers what changes rows: the code of pipeline/ and
schemas/, every resource file, and the config fields that affect extraction
(not batch size, Dask or cache settings). The inputs fingerprint covers every
input path with the sha256 of its bytes. A batch's task-cache key covers the
pipeline fingerprint and the name and bytes of its work units.
"""

import hashlib
from functools import cache
from pathlib import Path

from pipeline import __version__
from pipeline.config import PipelineConfig
from pipeline.lexicons import resource_hashes
from pipeline.stages.ingest import unit_name
from schemas import SCHEMA_VERSION

#: Config fields that change how a run is executed but not what it writes.
EXECUTION_FIELDS = {"batch_size", "dask_address", "dask_workers", "cache", "lock_timeout", "report_max_articles"}
PACKAGES = ("pipeline", "schemas")


@cache
def code_hash() -> str:
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def pipeline_fingerprint(config: PipelineConfig) -> str:
    h = hashlib.sha256(f"{__version__}|{SCHEMA_VERSION}|{code_hash()}".encode())
    for name, digest in sorted(resource_hashes().items()):
        h.update(f"{name}:{digest}".encode())
    extraction = {k: v for k, v in config.model_dump(mode="json").items() if k not in EXECUTION_FIELDS}
    h.update(repr(sorted(extraction.items())).encode())
    return h.hexdigest()


def inputs_fingerprint(root: Path, paths: list[str]) -> str:
    """sha256 over every input path and the sha256 of its bytes (unreadable files count by name)."""
    h = hashlib.sha256()
    for rel in paths:
        h.update(rel.encode() + b"\0" + unit_digest(root, rel))
    return h.hexdigest()


def unit_digest(root: Path, unit) -> bytes:
    """sha256 of the bytes a work unit reads (a file, or a byte range of a JSONL corpus)."""
    rel, span = (unit, None) if isinstance(unit, str) else (unit[0], unit[1:3])
    try:
        with open(root / rel, "rb") as fh:
            if span is None:
                return hashlib.file_digest(fh, "sha256").digest()
            fh.seek(span[0])
            return hashlib.sha256(fh.read(span[1] - span[0])).digest()
    except OSError as exc:
        return f"unreadable:{rel}:{exc.errno}".encode()


def batch_cache_key(context, parameters) -> str | None:
    """Prefect cache key of a batch task run (pipeline.tasks.process_batch): the pipeline fingerprint, and the
    name and bytes of every unit; None (no caching) when the config says so."""
    config: PipelineConfig = parameters["config"]
    if not config.cache:
        return None
    root = Path(parameters["root"])
    h = hashlib.sha256(pipeline_fingerprint(config).encode())
    for unit in parameters["units"]:  # a unit's result depends on its name (path, first record's line) and bytes
        h.update(unit_name(unit).encode("utf-8", "surrogateescape") + b"\0" + unit_digest(root, unit))
    return f"dangjian-batch-{h.hexdigest()}"
