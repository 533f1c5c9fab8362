"""Compose the pure stages for one batch: ingest -> clean -> sentences -> extract.

Each function here is plain Python over pydantic models; pipeline.tasks wraps
them as Prefect tasks. Article-level problems become quarantine records; the
batch goes on with the other articles. So does an article on which a stage
raises (a rule meeting text nobody foresaw): Q014 with the exception and the
line of the pipeline where it was raised, its traceback in the log, and none of
its rows; retrying the batch would fail the same way and lose every article.
"""

import gc
import logging
import traceback
from pathlib import Path

from pipeline.config import PipelineConfig
from pipeline.errors import InputError, check_evidence_budget
from pipeline.stages.article import build_document
from pipeline.stages.clean import RE_CJK, clean_text
from pipeline.stages.counts import extract_counts
from pipeline.stages.events import extract_events
from pipeline.stages.ingest import ingest_file
from pipeline.stages.initiatives import extract_initiatives
from pipeline.stages.persons import extract_persons, person_mentions
from schemas.document import Batch, CleanedBatch, Document, IngestedBatch, RawDocument
from schemas.manifest import InputRecord


log = logging.getLogger(__name__)


def stage_failure(exc: Exception, path: str) -> InputError:
    """Q014 for an exception a stage raised on one input: its type, message and the pipeline's line
    that raised it (or called the library that did); the traceback goes to the log."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/pipeline/" in f.filename.replace("\\", "/")] or frames
    where = f" at {Path(ours[-1].filename).name}:{ours[-1].lineno} ({ours[-1].name})" if ours else ""
    message = " ".join(str(exc).split())
    err = InputError("Q014", f"{type(exc).__name__}{': ' + message[:200] if message else ''}{where}")
    log.warning("%s: %s", path, err.reason, exc_info=exc)
    return err


def quarantine_record(path: str, err: InputError, raw: RawDocument | None = None) -> InputRecord:
    return InputRecord(
        path=path, sha256=raw.sha256 if raw else "", n_bytes=raw.n_bytes if raw else 0,
        status="quarantined", reason=err.reason, code=err.code,
        article_id=raw.article_id if raw else "", encoding=raw.encoding if raw else "",
    )


def ingest_paths(root: Path, units: list, config: PipelineConfig,
                 known=None) -> tuple[list[RawDocument], list[InputRecord]]:
    """Raw documents of some work units (files, or record ranges of JSONL files) and their quarantine records.

    known(path, sha256): see ingest_file."""
    raws: list[RawDocument] = []
    bad: list[InputRecord] = []
    for unit in units:
        rel, span = (unit, None) if isinstance(unit, str) else (unit[0], tuple(unit[1:]))
        try:
            items = ingest_file(root, rel, config, span, known)
        except InputError as err:
            bad.append(file_record(root, rel, err))
            continue
        except Exception as exc:  # a page the HTML extractor breaks on: that input only
            if span is None:
                bad.append(file_record(root, rel, stage_failure(exc, rel)))
            else:  # records start_byte-end_byte of a JSONL file (its other ranges go on)
                err = stage_failure(exc, f"{rel} bytes {span[0]}-{span[1]}")
                bad.append(InputRecord(path=f"{rel}#bytes={span[0]}-{span[1]}", sha256="", n_bytes=span[1] - span[0],
                                       status="quarantined", reason=err.reason, code=err.code))
            continue
        for item in items:
            if isinstance(item, RawDocument):
                raws.append(item)
            else:
                bad.append(quarantine_record(item[0], item[1]))
    return raws, bad


def file_record(root: Path, rel: str, err: InputError) -> InputRecord:
    """The quarantine record of an input file that yields no article at all."""
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
    cleaned = clean_text(raw.text, raw.meta.title)
    if not cleaned.text.strip():
        raise InputError("Q001", "no body text left after removing page furniture")
    if not _has_chinese(cleaned.text, config.min_chinese_chars):
        raise InputError("Q003", f"fewer than {config.min_chinese_chars} Chinese characters")
    return build_document(raw, cleaned, config.segmenter)


def _has_chinese(text: str, at_least: int) -> bool:
    for n, _m in enumerate(RE_CJK.finditer(text), start=1):
        if n >= at_least:
            return True
    return False


def clean_documents(raws: list[RawDocument], config: PipelineConfig) -> tuple[list[Document], list[InputRecord]]:
    docs, bad = [], []
    for raw in raws:
        try:
            docs.append(clean_document(raw, config))
        except InputError as err:
            bad.append(quarantine_record(raw.source_path, err, raw))
        except Exception as exc:
            bad.append(quarantine_record(raw.source_path, stage_failure(exc, raw.source_path), raw))
    return docs, bad


def ingest_batch(root: Path, units: list, config: PipelineConfig, known=None) -> IngestedBatch:
    raws, bad = ingest_paths(root, units, config, known)
    first: dict[str, str] = {}
    unique = []
    for raw in raws:  # the same bytes twice (a page scraped twice) are one article: the first one counts
        if raw.article_id in first:
            bad.append(quarantine_record(raw.source_path, InputError("Q013", f"same bytes as {first[raw.article_id]}"), raw))
        else:
            first[raw.article_id] = raw.source_path
            unique.append(raw)
    return IngestedBatch(raws=unique, bad=bad)


def clean_batch(ingested: IngestedBatch, config: PipelineConfig) -> CleanedBatch:
    """Documents of a batch, and an input record (ok or quarantined) for every input in it."""
    docs, bad = clean_documents(ingested.raws, config)
    script = {d.article.source_path: d.article.script for d in docs}
    records = [
        InputRecord(path=r.source_path, sha256=r.sha256, n_bytes=r.n_bytes, status="ok", article_id=r.article_id,
                    encoding=r.encoding, script=script[r.source_path])
        for r in ingested.raws if r.source_path in script
    ]
    inputs = sorted(records + ingested.bad + bad, key=lambda rec: rec.path)
    return CleanedBatch(docs=docs, inputs=inputs)


def extract_document(doc: Document, config: PipelineConfig, batch: Batch) -> None:
    """Append the rows of every table for one document to batch."""
    mentions = person_mentions(doc, config.segmenter)
    batch.articles.append(doc.article)
    batch.counts.extend(extract_counts(doc))
    batch.initiatives.extend(extract_initiatives(doc))
    batch.persons.extend(extract_persons(doc, mentions))
    batch.events.extend(extract_events(doc, mentions))


#: The row lists of a Batch, in the order extract_document fills them.
ROW_LISTS = ("articles", "counts", "initiatives", "persons", "events")


def extract_batch(cleaned: CleanedBatch, config: PipelineConfig) -> Batch:
    batch = Batch(inputs=cleaned.inputs)
    failed: dict[str, InputError] = {}
    for doc in cleaned.docs:
        sizes = [len(getattr(batch, name)) for name in ROW_LISTS]
        try:
            extract_document(doc, config, batch)
            check_evidence_budget(sum(len(row.sentence) for name, size in zip(ROW_LISTS[1:], sizes[1:])
                                      for row in getattr(batch, name)[size:]))
        except Exception as exc:
            for name, size in zip(ROW_LISTS, sizes):  # none of its rows: those appended before the failure go
                del getattr(batch, name)[size:]
            failed[doc.article.source_path] = (exc if isinstance(exc, InputError)
                                               else stage_failure(exc, doc.article.source_path))
    if failed:
        batch.inputs = [r.model_copy(update={"status": "quarantined", "code": failed[r.path].code,
                                             "reason": failed[r.path].reason, "script": ""})
                        if r.path in failed and r.status == "ok" else r for r in batch.inputs]
    return batch


#: Young-generation threshold of the cyclic garbage collector during batch work (CPython's default: 700).
GC_YOUNG = 50_000


def tune_gc() -> None:
    """Run the cyclic garbage collector less often in a process that does batch work.

    A batch allocates millions of short-lived objects (models, tuples, match objects) and almost
    no reference cycles, which reference counting frees at once. On benchmarks/throughput.py's
    10k corpus, at CPython's default threshold the collector ran ~1,200 times and took 1.0 s of
    15 s of CPU; at this one, ~350 times and 0.2 s. Idempotent; the older generations' thresholds
    are raised likewise.
    """
    if gc.get_threshold()[0] < GC_YOUNG:
        gc.set_threshold(GC_YOUNG, 20, 100)


def warm_up(config: PipelineConfig) -> None:
    """Load what the stages load on first use (lexicons, gazetteer, segmenter dictionary, the HTML
    extractor and its stop lists, the Arrow encoder) by running one small article and one small page
    through them and encoding their rows: a fresh worker then starts at full speed."""
    from pipeline.dataset import encode_batch
    from pipeline.ids import article_id, sha256_hex
    from pipeline.stages.ingest import extract_html

    text = ("北京市西城区委书记孙硕在2025年3月5日的会上指出，全区5739个党组织、12.9万名党员参加“红墙先锋”工程。"
            "区委副书记林建军讲话。")
    page = ("北京市西城區委書記孫碩在2025年3月5日的會上指出，全區5739個黨組織、12.9萬名黨員參加「紅牆先鋒」工程。"
            "區委副書記林建軍講話。")  # the page in traditional characters: OpenCC's dictionaries load too
    batch = Batch()
    for fmt, body in (("txt", text), ("html", f"<html><body><div><p>{page}</p></div></body></html>")):
        data = body.encode("utf-8")
        raw = RawDocument(article_id=article_id(data), source_path=f"warm-up.{fmt}", sha256=sha256_hex(data),
                          n_bytes=len(data), encoding="utf-8", input_format=fmt, text=body)
        if fmt == "html":
            raw = extract_html(raw)  # trafilatura's import and justext's stop lists: ~1.5 s on first use
        extract_document(clean_document(raw, config), config, batch)
    encode_batch(batch)  # Arrow's JSON reader and each table's serializer (schemas.arrow: no pandas)


def process_paths(root: Path, paths: list, config: PipelineConfig) -> Batch:
    """The whole per-batch journey (the Prefect task's body; tests and benchmarks call it directly)."""
    tune_gc()
    return extract_batch(clean_batch(ingest_batch(root, paths, config), config), config)
