"""Per-article reuse: an article whose bytes are unchanged takes its rows from the previous version.

The batch task cache (pipeline.tasks) skips a batch whose every unit is
unchanged. When a batch did change (an article edited or added in it, or in a
JSONL range it shares), its other articles still need no work: a run made with
the same pipeline fingerprint as the version LATEST points at already wrote
their rows. For an input whose path and sha256 are those of an ok input of that
version, the batch reads its rows back from that version's Parquet and JSONL
files (byte for byte what cleaning and extracting would write) and copies its
manifest record; the others are processed. The new version is the same as a
run without reuse: the same rows in the same order.

The flow has a ReuseIndex written once per run (IndexBuild, in a child process),
a file under the output dir; each worker process loads it once (load_index). A version whose rows are
not grouped by article in article order, or files a worker cannot read, mean
no reuse: the articles are processed as usual.
"""

import os
import pickle
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import process
from pipeline.config import PipelineConfig
from pipeline.dataset import EncodedBatch, encode_batch
from pipeline.stages.ingest import extract_html
from schemas import TABLES
from schemas.arrow import arrow_schema, empty_table, int64_array
from schemas.document import IngestedBatch
from schemas.manifest import InputRecord

INDEX_FILE = ".reuse-index.pickle"
#: Written beside INDEX_FILE when there is no index to wait for (not reusable, or the build failed).
NO_INDEX_SUFFIX = ".none"
#: Seconds a worker waits at most for the index while it is built (it is there within seconds: ~3 s at 100k).
INDEX_WAIT = 300.0
#: InputRecord fields in the order an index keeps them (a tuple per input: a tenth of a dict's memory).
RECORD_FIELDS = tuple(InputRecord.model_fields)


@dataclass
class ReuseIndex:
    """Where the rows of every ok input of a version are: its position among the version's articles,
    the first row of each article per table, the byte offset of each row's JSONL line."""

    version_dir: str
    records: dict[str, tuple]  # input path -> InputRecord field values (RECORD_FIELDS) + article position
    row_start: dict  # table -> numpy array: article position -> its first row (n_articles + 1 entries)
    line_start: dict  # table -> numpy array: row -> byte offset of its JSONL line (rows + 1 entries)

    def has(self, path: str, sha256: str) -> bool:
        rec = self.records.get(path)
        return rec is not None and rec[1] == sha256

    def record(self, path: str) -> InputRecord:
        return InputRecord(**dict(zip(RECORD_FIELDS, self.records[path])))

    def position(self, path: str) -> int:
        return self.records[path][-1]


def build_index(vdir: Path, pipeline_fingerprint: str, made_by_it: bool = False) -> ReuseIndex | None:
    """The index of a version made with this pipeline fingerprint (its manifest says so, or made_by_it: a run
    record does, pipeline.versions.made_by_pipeline); None when it was not, or cannot be read.

    Vectorised (Arrow and numpy), the JSONL files scanned in chunks: ~0.5 s and flat memory for 100k articles.
    """
    import json

    try:
        manifest = json.loads((vdir / "manifest.json").read_text(encoding="utf-8"))
        if not made_by_it and (not pipeline_fingerprint or manifest.get("pipeline_fingerprint") != pipeline_fingerprint):
            return None
        ids = pq.read_table(vdir / "articles.parquet", columns=["article_id"]).column(0).combine_chunks()
        row_start, line_start = {}, {}
        for name in TABLES:
            rows = pq.read_table(vdir / f"{name}.parquet", columns=["article_id"]).column(0)
            starts = _article_starts(rows, ids)
            lines = _line_starts(vdir / f"{name}.jsonl")
            if starts is None or len(lines) != len(rows) + 1:
                return None
            row_start[name], line_start[name] = starts, lines
        position = {aid: k for k, aid in enumerate(ids.to_pylist())}
        n_path = Counter(rec["path"] for rec in manifest["inputs"])
        records = {
            rec["path"]: (*(rec.get(f, "") for f in RECORD_FIELDS), position[rec["article_id"]])
            for rec in manifest["inputs"]  # a path twice (two records of one JSONL id) is ambiguous: not reused
            if rec["status"] == "ok" and rec["article_id"] in position and n_path[rec["path"]] == 1
        }
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None
    return ReuseIndex(str(vdir.resolve()), records, row_start, line_start)


def _article_starts(article_ids: pa.ChunkedArray, articles: pa.Array):
    """First row of every article (n_articles + 1 entries) in a table whose rows go article by article in
    article order; None when they do not, or a row names no article."""
    import numpy as np

    pos = pc.index_in(article_ids, value_set=articles)
    if pos.null_count:
        return None
    k = np.concatenate([c.to_numpy() for c in pos.chunks]) if pos.num_chunks else np.zeros(0, np.int64)
    if len(k) > 1 and (np.diff(k) < 0).any():
        return None
    starts = np.zeros(len(articles) + 1, np.int64)
    np.cumsum(np.bincount(k, minlength=len(articles)), out=starts[1:])
    return starts


def _line_starts(path: Path):
    """Byte offset of every line of a file, and its size at the end (read in 16 MiB chunks)."""
    import numpy as np

    parts, base = [np.zeros(1, np.int64)], 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 24):
            parts.append(np.flatnonzero(np.frombuffer(chunk, np.uint8) == 10).astype(np.int64) + (base + 1))
            base += len(chunk)
    return np.concatenate(parts)


class IndexBuild:
    """The index of the previous version, built in a child process while the flow does other work.

    The child parses the previous manifest (100k inputs: ~0.5 GB of Python objects for a moment)
    and exits, so the flow's memory does not keep that peak. The batches do not wait for it: they
    get its path at once (path), and a worker waits for the file only when a batch is processed
    (load_index), not when it comes from the task cache; the child (or, if it died, a thread here)
    leaves a marker when there is no index, so nobody waits in vain. At 100k articles the build
    took 3.3 s before the first batch was submitted. result() waits for it: the index's path, or
    None (no usable previous version: nothing is reused), and error says why it failed. Use as a
    context manager: it stops the child and removes its file when the run ends, also early (an
    unchanged corpus).
    """

    def __init__(self, root: Path, previous: str | None, pipeline_fingerprint: str, enabled: bool = True):
        import os
        import subprocess
        import sys
        import uuid

        from pipeline.versions import STAGING_PREFIX, made_by_pipeline

        self.proc = self.dir = self.path = self._watch = None
        self.error = ""
        self._stderr = b""
        if not (enabled and previous and (root / previous / "manifest.json").exists()):
            return
        # a staging-dir name: a crashed run's index goes with the next run's leftovers
        self.dir = root / f"{STAGING_PREFIX}reuse-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.dir.mkdir()
        made_by_it = made_by_pipeline(root, previous, pipeline_fingerprint)
        self.path = str((self.dir / INDEX_FILE).resolve())
        cmd = [sys.executable, "-m", "pipeline.reuse", str(root / previous), pipeline_fingerprint,
               self.path, *(["--made-by-it"] if made_by_it else [])]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._watch = threading.Thread(target=self._wait, name="dangjian-reuse-index", daemon=True)
        self._watch.start()

    def _wait(self) -> None:
        """The child's end: its error output kept; the no-index marker left if it made neither file."""
        _out, self._stderr = self.proc.communicate()
        path = Path(self.path)
        if not path.exists() and self.dir.is_dir():
            _mark_no_index(path)

    def result(self) -> str | None:
        """The index's path, or None; when the child failed, self.error says why (for the run's log)."""
        if self.proc is None:
            return None
        self._watch.join()
        if self.proc.returncode != 0:
            err = self._stderr.decode(errors="replace").strip()
            self.error = err[-500:] or f"exit status {self.proc.returncode}"
            return None
        return self.path if Path(self.path).exists() else None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        import shutil

        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self._watch.join()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)


def write_index(vdir: Path, pipeline_fingerprint: str, path: Path, made_by_it: bool = False) -> bool:
    """Build the index of version vdir into path (whole or not at all: a worker may be waiting for it);
    False (nothing written) when it cannot be reused."""
    index = build_index(vdir, pipeline_fingerprint, made_by_it)
    if index is None or not index.records:
        return False
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return True


def _mark_no_index(path: Path) -> None:
    try:
        path.with_name(path.name + NO_INDEX_SUFFIX).touch()
    except OSError:
        pass  # the run is ending and has removed the dir: nobody waits any more


_loaded: dict[str, ReuseIndex | None] = {}


def load_index(path: str, wait: float = INDEX_WAIT) -> ReuseIndex | None:
    """The index at path, read once per process (None when this worker cannot read it: no reuse).

    While it is being built (its dir is there, but neither it nor the no-index marker yet), the
    worker waits for it, at most wait seconds. A worker that does not see the dir at all (another
    host, without the output dir) does not wait.
    """
    if path not in _loaded:
        _loaded.clear()  # a worker of a lasting cluster serves run after run: keep the current one only
        _loaded[path] = _read_index(Path(path), wait)
    return _loaded[path]


def _read_index(path: Path, wait: float) -> ReuseIndex | None:
    deadline = time.monotonic() + wait
    marker = path.with_name(path.name + NO_INDEX_SUFFIX)
    while not path.exists():
        if marker.exists() or not path.parent.is_dir() or time.monotonic() > deadline:
            return None
        time.sleep(0.02)
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None


def process_units(root: Path, units: list, config: PipelineConfig, index_path: str | None = None) -> EncodedBatch:
    """process.process_paths, encoded; articles the index knows unchanged are read back, not processed."""
    index = load_index(index_path) if index_path else None
    if index is None:
        return encode_batch(process.process_paths(root, units, config))
    process.tune_gc()
    ingested = process.ingest_batch(root, units, config, known=index.has)
    n_path = Counter(raw.source_path for raw in ingested.raws)  # two records of one JSONL id: processed
    old = [raw for raw in ingested.raws if index.has(raw.source_path, raw.sha256) and n_path[raw.source_path] == 1]
    try:
        reused = _read_rows(index, [index.position(raw.source_path) for raw in old]) if old else None
    except (OSError, ValueError, pa.ArrowException):
        reused, old = None, []
    old_paths = {raw.source_path for raw in old}
    fresh = [_extracted(root, raw, index) for raw in ingested.raws if raw.source_path not in old_paths]
    fresh_ok = [raw for raw in fresh if not isinstance(raw, InputRecord)]
    bad = [raw for raw in fresh if isinstance(raw, InputRecord)]
    cleaned = process.clean_batch(IngestedBatch(raws=fresh_ok, bad=ingested.bad + bad), config)
    new = encode_batch(process.extract_batch(cleaned, config))
    if not old:
        return new
    return _merge(ingested.raws, old_paths, new, reused, [index.record(raw.source_path) for raw in old])


def _extracted(root: Path, raw, index: ReuseIndex):
    """A page ingest left unextracted (its path and bytes were known) that is processed after all."""
    if raw.input_format != "html" or not index.has(raw.source_path, raw.sha256):
        return raw
    from pipeline.errors import InputError

    try:
        return extract_html(raw)
    except InputError as err:
        return process.file_record(root, raw.source_path, err)  # what ingest records for a page without text


@dataclass
class _Rows:
    """Rows of some articles of one table, in article order: one Arrow table, rows and JSONL per article."""

    table: pa.Table
    n_rows: list[int] = field(default_factory=list)
    lines: list[bytes] = field(default_factory=list)


def _read_rows(index: ReuseIndex, positions: list[int]) -> dict[str, _Rows]:
    """The rows of the articles at these positions of the indexed version, table by table."""
    from bisect import bisect_right

    vdir = Path(index.version_dir)
    out = {}
    for name, model in TABLES.items():
        starts, line_start = index.row_start[name], index.line_start[name]
        ranges = [(int(starts[k]), int(starts[k + 1])) for k in positions]
        spans: list[list[int]] = []
        for a, b in ranges:
            if a == b:
                continue
            if spans and spans[-1][1] == a:
                spans[-1][1] = b
            else:
                spans.append([a, b])
        pieces, groups = [], {}
        if spans:
            pf = pq.ParquetFile(vdir / f"{name}.parquet")
            offsets = [0]
            for g in range(pf.metadata.num_row_groups):
                offsets.append(offsets[-1] + pf.metadata.row_group(g).num_rows)
            takes: list[tuple[int, list[int]]] = []  # (row group, its rows in order), in the order of the spans
            for a, b in spans:
                for g in range(bisect_right(offsets, a) - 1, bisect_right(offsets, b - 1)):
                    lo, hi = max(a, offsets[g]) - offsets[g], min(b, offsets[g + 1]) - offsets[g]
                    if not takes or takes[-1][0] != g:
                        takes.append((g, []))
                    takes[-1][1].extend(range(lo, hi))
            for g, rows_of_group in takes:
                if g not in groups:
                    groups[g] = pf.read_row_group(g)
                # take copies the rows: a slice would keep (and pickle) the whole row group
                pieces.append(groups[g].take(int64_array(rows_of_group)))
        schema = arrow_schema(model)
        table = _combined([p.cast(schema) for p in pieces], empty_table(schema))
        rows = _Rows(table, [b - a for a, b in ranges])
        with open(vdir / f"{name}.jsonl", "rb") as fh:
            for a, b in ranges:
                fh.seek(int(line_start[a]))
                rows.lines.append(fh.read(int(line_start[b] - line_start[a])))
        out[name] = rows
    return out


def _merge(raws: list, old_paths: set[str], new: EncodedBatch, reused: dict[str, _Rows],
           old_records: list[InputRecord]) -> EncodedBatch:
    """The batch as processing every article would give it: reused and new rows in the order of the raws."""
    new_ids = {aid for aid, _path in new.articles}
    order = [(raw.source_path in old_paths, raw.article_id, raw.source_path)
             for raw in raws if raw.source_path in old_paths or raw.article_id in new_ids]
    tables, jsonl = {}, {}
    for name in TABLES:
        per_new = Counter(new.tables[name]["article_id"].to_pylist())
        new_lines = new.jsonl[name].split(b"\n")[:-1]
        sources = {True: reused[name].table, False: new.tables[name]}
        spans: list[list] = []  # [is_old, start, length]: consecutive rows of one source, one slice
        lines: list[bytes] = []
        at = {True: 0, False: 0}
        j = 0
        for is_old, aid, _path in order:
            if is_old:
                n = reused[name].n_rows[j]
                lines.append(reused[name].lines[j])
                j += 1
            else:
                n = per_new[aid]
                lines.extend(line + b"\n" for line in new_lines[at[False]:at[False] + n])
            if n:
                if spans and spans[-1][0] == is_old and spans[-1][1] + spans[-1][2] == at[is_old]:
                    spans[-1][2] += n
                else:
                    spans.append([is_old, at[is_old], n])
            at[is_old] += n
        pieces = [sources[is_old].slice(start, length) for is_old, start, length in spans]
        tables[name] = _combined(pieces, new.tables[name].slice(0, 0))
        jsonl[name] = b"".join(lines)
    return EncodedBatch(inputs=sorted(new.inputs + old_records, key=lambda r: r.path),
                        articles=[(aid, path) for _old, aid, path in order], tables=tables, jsonl=jsonl,
                        reused=len(old_records))


def _combined(pieces: list[pa.Table], empty: pa.Table) -> pa.Table:
    """One table of the pieces, in one chunk of its own buffers (several pieces are copied together).

    A batch is pickled to the flow and into the task cache, and a pickled slice carries the whole
    buffers it points into. A single piece here is always a whole table (the pieces of a batch
    cover their sources), so it is returned as it is.
    """
    if not pieces:
        return empty
    if len(pieces) == 1:
        return pieces[0]
    return pa.concat_tables(pieces).combine_chunks()


if __name__ == "__main__":  # IndexBuild's child: VERSION_DIR PIPELINE_FINGERPRINT OUT_PATH [--made-by-it]
    import sys

    from pipeline import reuse  # the module, not __main__: the pickle must name pipeline.reuse.ReuseIndex

    written = False
    try:
        written = reuse.write_index(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), "--made-by-it" in sys.argv[4:])
    finally:
        if not written:  # no index: the workers stop waiting at once (the flow logs an error)
            reuse._mark_no_index(Path(sys.argv[3]))
