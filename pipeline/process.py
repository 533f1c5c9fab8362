"""Compose the pure stages for one batch: ingest -> clean -> sentences -> extract.

Each function here is plain Python over pydantic models; pipeline.tasks wraps
them as Prefect tasks. Article-level problems become quarantine records; the
batch goes on with the other articles.
"""

from pathlib import Path

from pipeline.config import PipelineConfig
from pipeline.errors import InputError
from pipeline.nlp import build_nlp, person_mentions
from pipeline.stages.article import build_document
from pipeline.stages.clean import RE_CJK, clean_text
from pipeline.stages.counts import extract_counts
from pipeline.stages.events import extract_events
from pipeline.stages.ingest import ingest_file
from pipeline.stages.initiatives import extract_initiatives
from pipeline.stages.persons import extract_persons
from schemas.document import Batch, Document, RawDocument
from schemas.manifest import InputRecord


def quarantine_record(path: str, err: InputError, raw: RawDocument | None = None) -> InputRecord:
    return InputRecord(
        path=path, sha256=raw.sha256 if raw else "", n_bytes=raw.n_bytes if raw else 0,
        status="quarantined", reason=err.reason, code=err.code,
        article_id=raw.article_id if raw else "", encoding=raw.encoding if raw else "",
    )


def ingest_paths(root: Path, paths: list[str], config: PipelineConfig) -> tuple[list[RawDocument], list[InputRecord]]:
    """Raw documents of some input files, and quarantine records for those that failed."""
    raws: list[RawDocument] = []
    bad: list[InputRecord] = []
    for rel in paths:
        try:
            items = ingest_file(root, rel, config)
        except InputError as err:
            bad.append(_file_record(root, rel, err))
            continue
        for item in items:
            if isinstance(item, RawDocument):
                raws.append(item)
            else:
                bad.append(quarantine_record(item[0], item[1]))
    return raws, bad


def _file_record(root: Path, rel: str, err: InputError) -> InputRecord:
    from pipeline.ids import sha256_hex

    sha, size = "", 0
    try:
        path = root / rel
        if path.is_file() and err.code not in ("Q005", "Q006", "Q007"):
            data = path.read_bytes()
            sha, size = sha256_hex(data), len(data)
    except OSError:
        pass
    return InputRecord(path=rel, sha256=sha, n_bytes=size, status="quarantined", reason=err.reason, code=err.code)


def clean_document(raw: RawDocument, config: PipelineConfig) -> Document:
    """Cleaned document of one raw input; InputError Q001/Q003 when nothing usable is left."""
    cleaned = clean_text(raw.text)
    if not cleaned.text.strip():
        raise InputError("Q001", "no body text left after removing page furniture")
    if len(RE_CJK.findall(cleaned.text)) < config.min_chinese_chars:
        raise InputError("Q003", f"fewer than {config.min_chinese_chars} Chinese characters")
    return build_document(raw, cleaned)


def clean_documents(raws: list[RawDocument], config: PipelineConfig) -> tuple[list[Document], list[InputRecord]]:
    docs, bad = [], []
    for raw in raws:
        try:
            docs.append(clean_document(raw, config))
        except InputError as err:
            bad.append(quarantine_record(raw.source_path, err, raw))
    return docs, bad


def extract_document(doc: Document, config: PipelineConfig, batch: Batch) -> None:
    """Append the rows of every table for one document to batch."""
    nlp = build_nlp(config.segmenter)
    mentions = person_mentions(doc, nlp)
    batch.articles.append(doc.article)
    batch.counts.extend(extract_counts(doc))
    batch.initiatives.extend(extract_initiatives(doc))
    batch.persons.extend(extract_persons(doc, mentions))
    batch.events.extend(extract_events(doc, mentions))
    batch.inputs.append(InputRecord(
        path=doc.article.source_path, sha256="", n_bytes=0, status="ok",
        article_id=doc.article.article_id, encoding=doc.article.encoding, script=doc.article.script,
    ))


def extract_documents(docs: list[Document], config: PipelineConfig) -> Batch:
    batch = Batch()
    for doc in docs:
        extract_document(doc, config, batch)
    return batch


def process_paths(root: Path, paths: list[str], config: PipelineConfig) -> Batch:
    """The whole per-batch journey without Prefect (tests, benchmarks, Dask workers)."""
    raws, bad_ingest = ingest_paths(root, paths, config)
    docs, bad_clean = clean_documents(raws, config)
    batch = extract_documents(docs, config)
    batch.inputs = _ordered_inputs(raws, batch.inputs, bad_ingest + bad_clean)
    return batch


def _ordered_inputs(raws: list[RawDocument], ok: list[InputRecord], bad: list[InputRecord]) -> list[InputRecord]:
    """Input records in input order, with sha256 and size from the raw documents."""
    by_path = {r.source_path: r for r in raws}
    records = []
    for rec in ok:
        raw = by_path[rec.path]
        records.append(rec.model_copy(update={"sha256": raw.sha256, "n_bytes": raw.n_bytes}))
    records.extend(bad)
    return sorted(records, key=lambda r: r.path)
