"""The only module that writes datasets: staging dir -> rename into place -> LATEST (DATASET.md).

A run holds ``<root>/.lock`` (flock) so two runs cannot interleave. Tables are
streamed batch by batch into ``<root>/.staging-*/`` as Parquet and JSONL, so
memory does not grow with the corpus. ``commit`` writes the manifest, renames
the staging dir to its content-addressed version id and only then moves LATEST.
A crash at any point leaves LATEST and every complete version untouched; the
next run removes the leftovers.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from array import array
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.config import PipelineConfig
from pipeline.errors import DatasetError, InputError, raise_if_invalid
from pipeline.lexicons import resource_hashes
# DatasetLock and read_latest stay importable from here, with the writer they guard
from pipeline.versions import LATEST, STAGING_PREFIX, DatasetLock, manifest_fields, read_latest, record_run  # noqa: F401
from schemas import SCHEMA_VERSION, TABLES
from schemas.arrow import arrow_from_jsonl, arrow_schema, empty_table, string_array
from schemas.document import Batch
from schemas.manifest import InputRecord, Manifest, ManifestHead, TableRecord

#: Rows per Parquet row group: fixed, so files are byte-identical whatever the batch size.
ROW_GROUP = 20_000


def remove_leftovers(root: Path) -> list[str]:
    """Delete staging dirs of crashed runs (call with the lock held)."""
    removed = []
    for entry in root.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry.name)
    return removed


def resolve_version(root: Path, version: str) -> Path:
    """Path of a version id (or 'LATEST') under root; DatasetError when there is none."""
    vid = read_latest(root) if version == LATEST else version
    if not vid or not (root / vid / "manifest.json").exists():
        known = ", ".join(list_versions(root)) or "none"
        raise DatasetError(f"no dataset version {version!r} under {root} (versions: {known})")
    return root / vid


def list_versions(root: Path) -> list[str]:
    """Complete versions under root, oldest first (by manifest created_at)."""
    out = []
    for d in root.iterdir() if root.exists() else []:
        mf = d / "manifest.json"
        if d.is_dir() and not d.name.startswith(".") and mf.exists():
            created = json.loads(mf.read_text(encoding="utf-8"))["created_at"]
            out.append((created, d.name))
    return [name for _c, name in sorted(out)]


@dataclass
class EncodedBatch:
    """A batch as the writer stores it: Arrow tables and JSONL bytes per table, in row order.

    Encoding happens where the batch ran (a Dask worker, in parallel); the process that
    writes the version only appends bytes and Arrow buffers. Pickles cheaply, unlike
    thousands of pydantic models.
    """

    inputs: list[InputRecord]
    articles: list[tuple[str, str]]  # (article_id, source_path) of the articles table, in row order
    tables: dict[str, pa.Table]
    jsonl: dict[str, bytes]
    reused: int = 0  # articles whose rows were read from the previous version (pipeline.reuse)

    def rows(self, name: str) -> int:
        return self.tables[name].num_rows


def encode_batch(batch: Batch) -> EncodedBatch:
    """Arrow tables (schema from the models) and JSONL lines (model_dump_json) of a batch."""
    tables, jsonl = {}, {}
    for name, model in TABLES.items():
        rows = getattr(batch, name)
        to_json = model.__pydantic_serializer__.to_json  # what model_dump_json() returns, as bytes
        jsonl[name] = b"".join(to_json(row) + b"\n" for row in rows)
        tables[name] = arrow_from_jsonl(jsonl[name], arrow_schema(model))
    return EncodedBatch(inputs=list(batch.inputs), articles=[(a.article_id, a.source_path) for a in batch.articles],
                        tables=tables, jsonl=jsonl)


def check_evidence(batch: EncodedBatch) -> None:
    """Every row points at an article of its batch, and its offsets give its text exactly.

    Checked here, batch by batch on the Arrow tables that are written (memory stays flat), not
    on read-back, where it would join every row with the whole text of the corpus.
    """
    articles = batch.tables["articles"]
    source = {"text": dict(zip(articles["article_id"].to_pylist(), articles["text"].to_pylist())),
              "byline": dict(zip(articles["article_id"].to_pylist(), articles["byline"].to_pylist())),
              "title": dict(zip(articles["article_id"].to_pylist(), articles["title"].to_pylist()))}
    problems = []
    for name, table in batch.tables.items():
        if name == "articles" or not table.num_rows:
            continue
        orphans = bad = 0
        for aid, field, a, b, text in zip(*(table[c].to_pylist() for c in
                                            ("article_id", "source_field", "char_start", "char_end", "text"))):
            whole = source[field].get(aid)
            if whole is None:
                orphans += 1
            elif not (0 <= a < b <= len(whole) and whole[a:b] == text):
                bad += 1
        if orphans:
            problems.append(f"{name}: {orphans} rows point at no article")
        if bad:
            problems.append(f"{name}: {bad} rows whose offsets do not give their text")
    raise_if_invalid(problems)


class _TableSink:
    def __init__(self, stage: Path, name: str):
        self.model = TABLES[name]
        self.schema = arrow_schema(self.model)
        self.parquet_path = stage / f"{name}.parquet"
        self.jsonl_path = stage / f"{name}.jsonl"
        self.writer = pq.ParquetWriter(self.parquet_path, self.schema, compression="zstd")
        self.jsonl = open(self.jsonl_path, "wb")
        self.content = hashlib.sha256()
        self.rows = 0
        self.buffer: list[pa.Table] = []
        self.buffered = 0

    def write(self, table: pa.Table, lines: bytes) -> None:
        """Append rows: their JSONL lines, and their Arrow table in row groups of ROW_GROUP rows."""
        self.jsonl.write(lines)
        self.content.update(lines)
        self.rows += table.num_rows
        if table.num_rows:
            self.buffer.append(table)
            self.buffered += table.num_rows
        while self.buffered >= ROW_GROUP:
            merged = pa.concat_tables(self.buffer).combine_chunks()
            self._flush(merged.slice(0, ROW_GROUP))
            rest = merged.slice(ROW_GROUP)
            self.buffer, self.buffered = ([rest] if rest.num_rows else []), rest.num_rows

    def _flush(self, table: pa.Table) -> None:
        self.writer.write_table(table, row_group_size=ROW_GROUP)

    def close(self) -> TableRecord:
        if self.buffer or self.rows == 0:
            merged = pa.concat_tables(self.buffer).combine_chunks() if self.buffer else empty_table(self.schema)
            self._flush(merged)
            self.buffer, self.buffered = [], 0
        self.writer.close()
        self.jsonl.close()
        lines = self.content.hexdigest()  # the JSONL file is the lines as they were written: its hash too
        return TableRecord(rows=self.rows, parquet_sha256=_file_sha(self.parquet_path), jsonl_sha256=lines,
                           content_sha256=lines)


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class DatasetWriter:
    """Streams batches into a staging dir and commits them as one immutable version.

    Use it inside DatasetLock; ``with DatasetWriter(...) as w`` removes the staging
    dir when the body raises, so a failed run leaves nothing behind.
    """

    def __init__(self, root: Path, input_root: Path, config: PipelineConfig, fingerprints: tuple[str, str] = ("", "")):
        self.root = root
        self.input_root = input_root
        self.config = config
        self.fingerprints = fingerprints
        self.stage = root / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.stage.mkdir(parents=True)
        self.sinks = {name: _TableSink(self.stage, name) for name in TABLES}
        self.inputs = _InputSpool(self.stage / ".inputs.jsonl")
        self.seen: dict[str, str] = {}  # article_id -> source_path of its first occurrence

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.abort()

    def add(self, batch: "Batch | EncodedBatch") -> None:
        encoded = batch if isinstance(batch, EncodedBatch) else encode_batch(batch)
        encoded = self._drop_duplicates(encoded)
        check_evidence(encoded)
        try:
            for name, sink in self.sinks.items():
                sink.write(encoded.tables[name], encoded.jsonl[name])
            self.inputs.extend(encoded.inputs)
        except OSError as exc:
            raise _write_error(self.stage, exc) from exc

    def _drop_duplicates(self, batch: EncodedBatch) -> EncodedBatch:
        """Articles already written by an earlier batch (same bytes, other path) become Q013 records."""
        dupes = {aid: path for aid, path in batch.articles if aid in self.seen}
        for aid, path in batch.articles:
            self.seen.setdefault(aid, path)
        if not dupes:
            return batch
        tables, jsonl = {}, {}
        for name, table in batch.tables.items():
            keep = pc.invert(pc.is_in(table["article_id"], value_set=string_array(sorted(dupes))))
            tables[name] = table.filter(keep)
            lines = batch.jsonl[name].split(b"\n")[:-1]
            jsonl[name] = b"".join(line + b"\n" for line, k in zip(lines, keep.to_pylist()) if k)
        inputs = [
            r.model_copy(update={"status": "quarantined", "code": "Q013",
                                 "reason": InputError("Q013", f"same bytes as {self.seen[r.article_id]}").reason})
            if r.status == "ok" and dupes.get(r.article_id) == r.path else r
            for r in batch.inputs
        ]
        articles = [(aid, path) for aid, path in batch.articles if aid not in dupes]
        return EncodedBatch(inputs=inputs, articles=articles, tables=tables, jsonl=jsonl)

    def abort(self) -> None:
        self.inputs.discard()
        for sink in self.sinks.values():
            try:
                sink.writer.close()
                sink.jsonl.close()
            except Exception:  # noqa: BLE001 - best effort while failing
                pass
        shutil.rmtree(self.stage, ignore_errors=True)

    def commit(self, finalize=None) -> tuple[ManifestHead, bool]:
        """Write the manifest, rename into place, move LATEST. Returns (manifest head, is_new_version).

        finalize(stage_dir, head) may add files (report, datapackage) before the rename. The input
        records go from their spool straight into manifest.json, in path order; only the quarantined
        ones are held in memory (ManifestHead.quarantined).
        """
        try:
            tables = {name: sink.close() for name, sink in self.sinks.items()}
            self.inputs.close()
            vid = _version_id(tables, self.inputs.sorted_keys())
        except OSError as exc:
            raise _write_error(self.stage, exc) from exc
        previous = read_latest(self.root)
        n_bad = len(self.inputs.quarantined)
        n_all = len(self.inputs)
        head = ManifestHead(
            version_id=vid,
            label=f"{self.input_root.name} {dt.date.today().isoformat()} ({n_all - n_bad} articles)",
            created_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
            pipeline_version=__version__, schema_version=SCHEMA_VERSION,
            config=self.config.model_dump(mode="json"), input_root=str(self.input_root),
            tables=tables, resources=resource_hashes(),
            previous_version=previous if previous != vid else None,
            n_ok=n_all - n_bad, n_quarantined=n_bad,
            pipeline_fingerprint=self.fingerprints[0], inputs_fingerprint=self.fingerprints[1],
            quarantined=sorted(self.inputs.quarantined, key=lambda r: r.path),
        )
        target = self.root / vid
        if target.exists():
            self.inputs.discard()
            shutil.rmtree(self.stage, ignore_errors=True)
            _write_latest(self.root, vid)
            record_run(self.root, self.fingerprints, vid)
            existing = Manifest.model_validate_json((target / "manifest.json").read_text(encoding="utf-8"))
            return ManifestHead.of(existing), False
        try:
            self.inputs.write_manifest(self.stage / "manifest.json", head)
            from pipeline.validate import validate_version  # DuckDB: loaded where versions are committed, not on workers

            validate_version(self.stage, head)
            if finalize is not None:
                finalize(self.stage, head)
            _fsync_tree(self.stage)
            os.rename(self.stage, target)
        except OSError as exc:
            raise _write_error(self.stage, exc) from exc
        _fsync_dir(self.root)
        _write_latest(self.root, vid)
        record_run(self.root, self.fingerprints, vid)
        return head, True


class _InputSpool:
    """Input records of a run, spooled to a file in the staging dir instead of held in memory.

    Memory per record: its path and file offset (to sort by path at the end), not the record;
    quarantined records are also kept (few, and the report and summary list them).
    """

    def __init__(self, path: Path):
        self.path = path
        self.block = path.with_suffix(".block")  # the sorted records, formatted for manifest.json
        self.fh = open(path, "w+b")
        self.paths: list[str] = []
        self.offsets = array("q")
        self.quarantined: list[InputRecord] = []

    def __len__(self) -> int:
        return len(self.paths)

    def extend(self, records: list[InputRecord]) -> None:
        for rec in records:
            self.offsets.append(self.fh.tell())
            self.paths.append(rec.path)
            # the three fields the version id reads, then the record as manifest.json lists it
            # (Manifest.model_dump_json(indent=2), four spaces in): sorted_keys copies it unparsed
            body = rec.__pydantic_serializer__.to_json(rec, indent=2).replace(b"\n", b"\n    ")
            self.fh.write(f"{rec.sha256}\t{rec.status}\t{rec.code}\t".encode() + body)
            if rec.status != "ok":
                self.quarantined.append(rec)

    def close(self) -> None:
        self.fh.flush()

    def discard(self) -> None:
        self.fh.close()

    def sorted_keys(self):
        """(path, sha256, status, code) of every record in path order (the manifest's), for the version id.

        The same single pass over the spool writes the records' block of manifest.json next to it,
        formatted as Manifest.model_dump_json(indent=2) formats them, for write_manifest to splice in.
        The spool holds them so formatted: parsing and formatting each record again here took 2.2 s
        of the commit at 100k articles.
        """
        order = sorted(range(len(self.paths)), key=self.paths.__getitem__)
        self.fh.flush()
        ends = self.offsets[1:]
        ends.append(self.fh.tell())
        with open(self.path, "rb") as spool, open(self.block, "wb") as block:
            for n, i in enumerate(order):
                spool.seek(self.offsets[i])
                sha, status, code, body = spool.read(ends[i] - self.offsets[i]).split(b"\t", 3)
                block.write((b"    " if n == 0 else b",\n    ") + body)
                yield self.paths[i], sha.decode(), status.decode(), code.decode()

    def write_manifest(self, path: Path, head: ManifestHead) -> None:
        """manifest.json exactly as Manifest(...).model_dump_json(indent=2), the inputs spliced in
        from the block sorted_keys wrote."""
        text = Manifest.model_construct(
            **{k: getattr(head, k) for k in Manifest.model_fields if k != "inputs"}, inputs=[],
        ).model_dump_json(indent=2)
        marker = '\n  "inputs": [],\n'
        before, after = text.split(marker)
        with open(path, "w", encoding="utf-8") as out:
            out.write(before)
            if not self.paths:
                out.write(marker)
            else:
                out.write('\n  "inputs": [\n')
                with open(self.block, encoding="utf-8") as block:
                    shutil.copyfileobj(block, out, 1 << 20)
                out.write("\n  ],\n")
            out.write(after + "\n")
        self.discard()
        self.path.unlink()
        self.block.unlink(missing_ok=True)


def _write_error(stage: Path, exc: OSError) -> DatasetError:
    return DatasetError(f"writing the new version failed ({exc.strerror or exc}) in {stage}; "
                        "the previous versions and LATEST are unchanged: free space or fix the path and run again")


def _version_id(tables: dict[str, TableRecord], inputs) -> str:
    """Content-addressed: same rows, inputs and schema give the same id.

    inputs: (path, sha256, status, code) of every input record, in path order.
    """
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for name in sorted(tables):
        h.update(f"{name}:{tables[name].content_sha256}\n".encode())
    for path, sha, status, code in inputs:
        h.update(f"{path}:{sha}:{status}:{code}\n".encode())
    return "v" + h.hexdigest()[:12]


def _write_latest(root: Path, vid: str) -> None:
    tmp = root / f".{LATEST}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(vid + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, root / LATEST)
    _fsync_dir(root)


def _fsync_tree(path: Path) -> None:
    """Flush every file of the staging dir to disk before the rename makes it visible.

    One syncfs(2) of the dir's file system where the C library has it (a version holds
    a thousand report pages: one fsync each costs more than writing them), else fsync per file.
    """
    if not _syncfs(path):
        for p in path.rglob("*"):
            if p.is_file():
                with open(p, "rb") as fh:
                    os.fsync(fh.fileno())
    _fsync_dir(path)


def _syncfs(path: Path) -> bool:
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), str(path))
        return True
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
