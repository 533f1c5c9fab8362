"""Ingest: find input files, read their bytes, detect the encoding, and split JSONL corpora.

Every file under the input root is accounted for: it yields raw documents or an
InputError with a stable reason code (pipeline.errors). Encodings are detected,
never assumed: BOMs, UTF-8, UTF-16 without BOM, then GB18030 / Big5 by
charset-normalizer's scoring.
"""

import datetime as dt
import functools
import hashlib
import json
import math
import os
import re
from pathlib import Path

from pipeline.config import PipelineConfig
from pipeline.errors import InputError
from pipeline.ids import article_id, sha256_hex
from schemas.document import PageMeta, RawDocument

TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}  # one record, or an array of records, as JSONL's lines hold them
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
RE_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >])", re.I)
#: Meta tags of Chinese government and news CMSs (政府网站发展指引): name -> PageMeta field.
META_TAGS = {
    "articletitle": "title", "pubdate": "date", "publishdate": "date", "contentsource": "publisher",
    "source": "publisher", "author": "author", "sitename": "site",
}
RE_META = re.compile(r"<meta\s+[^>]*?name\s*=\s*[\"']([^\"']+)[\"'][^>]*?content\s*=\s*[\"']([^\"']*)[\"']", re.I)
RE_DATE_FIELD = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})")


def discover_inputs(root: Path) -> list[str]:
    """Every file below root, as sorted POSIX paths relative to it (hidden files skipped).

    Symlinks are listed, not followed into directories, so a symlink loop cannot
    hang the walk; reading one fails later with Q007.
    """
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        # the directory's path relative to root once, not a Path per file (0.4 s for 20k files)
        rel = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        for d in dirnames:
            if os.path.islink(os.path.join(dirpath, d)):
                found.append(prefix + d)
        found.extend(prefix + name for name in filenames if not name.startswith("."))
    return sorted(set(found))


def read_bytes(root: Path, rel: str, config: PipelineConfig) -> bytes:
    """The raw bytes of one input, or InputError(Q005/Q006/Q007)."""
    path = root / rel
    try:
        if path.is_symlink() and not path.exists():
            raise InputError("Q007", "broken symlink or symlink loop")
        if not path.is_file():
            raise InputError("Q007", "a directory or special file")
        size = path.stat().st_size
        if size > config.max_file_bytes:
            raise InputError("Q005", f"{size} bytes > max_file_bytes {config.max_file_bytes}")
        return path.read_bytes()
    except InputError:
        raise
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise InputError("Q007", "symlink loop") from exc
        raise InputError("Q006", exc.strerror or type(exc).__name__) from exc


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of raw bytes; InputError Q011/Q004/Q002/Q010 when it cannot be trusted."""
    if not raw:
        raise InputError("Q011")
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc.replace("-sig", "") + "-bom"
            except UnicodeDecodeError as exc:
                raise InputError("Q002", f"{enc} BOM but invalid {enc}: {exc.reason} at byte {exc.start}") from exc
    utf16 = _guess_utf16(raw)
    if utf16:
        return raw.decode(utf16), utf16
    if b"\x00" in raw or _control_ratio(raw) > 0.05:
        raise InputError("Q004", "NUL or control bytes in the data")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if utf8_error.reason == "unexpected end of data" and utf8_error.start >= len(raw) - 3:
        raise InputError("Q002", f"truncated multi-byte UTF-8 character at byte {utf8_error.start}")
    if _valid_utf8_share(raw) > 0.5:
        raise InputError("Q010", f"mostly UTF-8 but invalid at byte {utf8_error.start}")
    return _decode_legacy(raw)


def _guess_utf16(raw: bytes) -> str | None:
    """UTF-16 without BOM: the decoded text reads as Chinese and ASCII, not as noise.

    UTF-8 or GB18030 bytes read as UTF-16 scatter over the whole BMP (a third of
    it CJK), so a share of plausible characters above 0.9 is decisive.
    """
    if len(raw) < 4 or len(raw) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = raw[:65536].decode(enc, errors="strict")
        except UnicodeDecodeError:
            continue
        if _plausible_share(text) > 0.9 and _cjk_share(text) + _ascii_share(text) > 0.5 and _reads_as_text(text):
            return enc
    return None


def _reads_as_text(text: str) -> bool:
    """Real text has punctuation or spaces, and many distinct characters (not 胿胿胿…)."""
    if len(text) < 40:
        return True
    marks = _count(RE_MARKS, text)
    return marks / len(text) >= 0.01 and len(set(text)) >= min(20, len(text) // 4)


RE_MARKS = re.compile(r"[ \n，。、；：？！“”,.;:?!()（）]")
RE_PLAUSIBLE = re.compile(r"[\u4e00-\u9fff\x20-\x7e\n\r\t\u3000-\u303f\uff00-\uffef\u2000-\u206f]")
RE_CJK_BASIC = re.compile(r"[\u4e00-\u9fff]")
RE_ASCII = re.compile(r"[\x00-\x7f]")
#: Bytes that are not control characters (deleting them leaves the control characters to count).
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 12, 13, 27)))
_ASCII_BYTES = bytes(range(0x80))


def _count(rx: re.Pattern, text: str) -> int:
    """How many characters of text the one-character class rx matches (at C speed)."""
    return len(text) - len(rx.sub("", text))


def _plausible_share(text: str) -> float:
    return _count(RE_PLAUSIBLE, text) / max(1, len(text))


def _decode_legacy(raw: bytes) -> tuple[str, str]:
    """GB18030 or Big5, whichever decodes cleanly and reads as more plausible Chinese."""
    from charset_normalizer import from_bytes

    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((enc, raw.decode(enc)))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise InputError("Q002", "not valid UTF-8, UTF-16, GB18030 or Big5")
    if len(candidates) == 1:
        return candidates[0][1], candidates[0][0]
    best = from_bytes(raw, cp_isolation=["gb18030", "big5"]).best()
    if best is not None and best.encoding in ("gb18030", "big5"):
        return str(best), best.encoding
    return candidates[0][1], candidates[0][0]


def _control_ratio(raw: bytes) -> float:
    sample = raw[:65536]
    bad = len(sample.translate(None, _NOT_CONTROL))
    return bad / max(1, len(sample))


def _valid_utf8_share(raw: bytes) -> float:
    """Share of non-ASCII bytes that sit in valid UTF-8 multi-byte sequences."""
    text = raw.decode("utf-8", errors="replace")
    non_ascii = len(raw.translate(None, _ASCII_BYTES))
    good = len(RE_ASCII.sub("", text).replace("\ufffd", "").encode("utf-8"))
    return good / max(1, non_ascii)


def _cjk_share(text: str) -> float:
    return _count(RE_CJK_BASIC, text) / max(1, len(text))


def _ascii_share(text: str) -> float:
    return _count(RE_ASCII, text) / max(1, len(text))


def input_format(rel: str, raw: bytes) -> str:
    suffix = Path(rel.lower()).suffix
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in HTML_SUFFIXES or RE_HTML_START.match(raw[:512]):
        return "html"
    return "txt"


#: JSONL corpora are cut into ranges of at most this many records, which the batches then regroup.
JSONL_CHUNK = 250
#: Estimated cost of a byte of an HTML page relative to a byte of text or JSONL (trafilatura's
#: boilerplate removal). On benchmarks/throughput.py's 10k corpus an HTML byte took ~6x as long
#: (2.3 against 0.39 µs) and a text file a little more than a JSONL record of its size; at 8 its
#: four batches took 1.7-2.0 s each (cut by article count: 2.7 s for the batch with the pages,
#: 1.5 s for the others).
HTML_COST = 8


def plan_units(root: Path, paths: list[str], max_records: int = JSONL_CHUNK) -> list[tuple[object, int, int]]:
    """Work units with their article counts and estimated costs: a file, or a range of JSONL records.

    A JSONL corpus is cut at line boundaries found in one scan into ranges of at most max_records
    records, as (path, byte start, byte end, first line number). The cost of a unit is its size
    in bytes (HTML_COST times that for an HTML page), at least 1.
    """
    units: list[tuple[object, int, int]] = []
    for rel in paths:
        path = os.path.join(root, rel)  # strings, not Paths: 20k files planned in a tenth of the time
        suffix = _suffix(rel)
        if suffix not in JSONL_SUFFIXES or not os.path.isfile(path) or os.path.islink(path):
            try:
                size = os.stat(path).st_size  # follows a symlink: what reading it would read
            except OSError:
                size = 0  # quarantined when read
            units.append((rel, 1, max(1, size * (HTML_COST if suffix in HTML_SUFFIXES else 1))))
            continue
        start, line_no, n = 0, 1, 0
        pos = 0
        with open(path, "rb") as fh:
            for line in fh:
                pos += len(line)
                n += 1
                if n == max_records:
                    units.append(((rel, start, pos, line_no), n, max(1, pos - start)))
                    start, line_no, n = pos, line_no + n, 0
        if n or not units or units[-1][0][0] != rel:
            units.append(((rel, start, pos, line_no), max(n, 1), max(1, pos - start)))
    return units


def _suffix(rel: str) -> str:
    """Path(rel.lower()).suffix, without making a Path."""
    name = rel.lower().rpartition("/")[2]
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


#: Expected cost of one article (a unit's cost: its bytes, an HTML page's HTML_COST times them; ~2,100 on
#: benchmarks/throughput.py's corpora): a content-defined batch's target weight is batch_size times this,
#: whatever the rest of the corpus holds, so that where batches end does not depend on the corpus as a whole.
ARTICLE_COST = 2000
#: A content-defined batch holds at least FLOOR times its target weight before a unit may end it.
FLOOR = 0.75
#: Corpora of at least this many full batches per worker are cut by content. Below it, batches cut by
#: content would leave workers idle at the end (a batch of 1.5 times the target where others have 0.8:
#: ~25% longer on benchmarks/throughput.py's 10k corpus), and a run over all of them takes seconds.
CONTENT_ROUNDS = 4


def plan_batches(root: Path, paths: list[str], batch_size: int, parts: int = 1) -> list[list]:
    """Work units grouped into batches in input order, for parts workers.

    A corpus of at least CONTENT_ROUNDS full batches per worker is cut by content. A unit weighs
    its cost, and at least ARTICLE_COST per article; a batch's target weight is batch_size *
    ARTICLE_COST (~8,000 articles of 2 KB make 4 rounds for 2 workers at the default batch size).
    A unit ends its batch once the batch has FLOOR of the target and a hash of the unit's name
    (its path; file and first line for a JSONL range) says so, with a chance that grows with the
    unit's weight (a Poisson process of mean (1 - FLOOR) * target), and at twice the target at
    the latest. Where a batch ends depends only on the units around it: added, removed or edited
    inputs change the batches they fall into and at most the next; every other batch keeps its
    units, and so its task-cache key (pipeline.fingerprint.batch_cache_key). A corpus that grows at
    its end (new files sorting last, records appended to a JSONL file) runs its last batch again
    (it ended with the corpus, not by content) and the new ones.

    A smaller corpus is cut into ceil(articles / batch_size) batches, rounded up to a multiple of
    parts so that the last round keeps every worker busy, of about equal cost.

    Either way a batch of HTML pages holds fewer articles than one of JSONL records, a batch
    holds at most 2 * batch_size articles (memory stays bounded), and adjacent record ranges of
    one JSONL file in a batch are merged into one range.
    """
    units = plan_units(root, paths, min(batch_size, JSONL_CHUNK))
    if not units:
        return []
    target = batch_size * ARTICLE_COST
    if sum(_weight(n, w) for _u, n, w in units) >= CONTENT_ROUNDS * parts * target:
        return _cut_by_content(units, batch_size, target)
    n_articles = sum(n for _u, n, _w in units)
    k = -(-n_articles // batch_size)
    k = min(len(units), -(-k // parts) * parts)
    per_batch = sum(w for _u, _n, w in units) / k
    batches = _Batches(batch_size)
    index, cum = 0, 0.0
    for unit, n, w in units:
        at = min(k - 1, int((cum + w / 2) / per_batch))  # the batch the middle of this unit falls into
        cum += w
        if at > index:
            batches.cut()
        index = max(index, at)
        batches.add(unit, n, w)
    return batches.done()


def _weight(n: int, w: int) -> int:
    """A unit's weight in content-defined batches: its cost, and at least ARTICLE_COST per article, so that a
    batch of short articles ends by content before it reaches 2 * batch_size articles (a cut by count would
    move every later cut)."""
    return max(w, n * ARTICLE_COST)


def _cut_by_content(units: list[tuple[object, int, int]], batch_size: int, target: float) -> list[list]:
    floor, gap = FLOOR * target, (1 - FLOOR) * target
    batches = _Batches(batch_size)
    for unit, n, w in units:
        weight = _weight(n, w)
        batches.add(unit, n, weight)
        if batches.cost >= 2 * target or (batches.cost >= floor and _ends_batch(unit, weight / gap)):
            batches.cut()
    return batches.done()


def unit_name(unit) -> str:
    """A work unit's name: its path; for a range of JSONL records, path#first line. Not its byte offsets,
    which a record that grows earlier in the file moves: the ranges after it keep their names."""
    return unit if isinstance(unit, str) else f"{unit[0]}#{unit[3]}"


def _ends_batch(unit, rate: float) -> bool:
    """Whether a unit ends its batch: a hash of its name (not its bytes: an edited file stays where it was)
    below 1 - exp(-rate), the chance that a Poisson process of the given rate ends within the unit."""
    name = unit_name(unit)
    h = int.from_bytes(hashlib.blake2b(name.encode("utf-8", "surrogateescape"), digest_size=8).digest(), "big")
    return h / 2**64 < -math.expm1(-rate)


class _Batches:
    """Batches being planned: units appended in order, cut on demand or before 2 * batch_size articles."""

    def __init__(self, batch_size: int):
        self.limit = 2 * batch_size
        self.batches: list[list] = []
        self.current: list = []
        self.size = 0
        self.cost = 0

    def add(self, unit, n: int, w: int) -> None:
        if self.current and self.size + n > self.limit:
            self.cut()
        prev = self.current[-1] if self.current else None
        if isinstance(unit, tuple) and isinstance(prev, tuple) and prev[0] == unit[0] and prev[2] == unit[1]:
            self.current[-1] = (prev[0], prev[1], unit[2], prev[3])  # the next records of the same file
        else:
            self.current.append(unit)
        self.size += n
        self.cost += w

    def cut(self) -> None:
        if self.current:
            self.batches.append(self.current)
        self.current, self.size, self.cost = [], 0, 0

    def done(self) -> list[list]:
        self.cut()
        return self.batches


def ingest_file(root: Path, rel: str, config: PipelineConfig, span: tuple[int, int, int] | None = None,
                known=None) -> list[RawDocument | tuple[str, InputError]]:
    """Raw documents of one input file (one per JSONL record); InputError when it cannot be read.

    A JSONL file yields (record path, InputError) pairs for its bad records, so one
    bad line quarantines that record only. known(path, sha256) true: the input's rows are
    reused from a previous version (pipeline.reuse), so an HTML page is not extracted.
    """
    suffix = Path(rel.lower()).suffix
    if suffix not in SUPPORTED:
        raise InputError("Q012", f"unsupported file type {suffix!r}")
    if span is not None:
        return list(_jsonl_range(root, rel, span))
    raw = read_bytes(root, rel, config)
    fmt = input_format(rel, raw)
    text, encoding = decode_bytes(raw)
    if fmt == "jsonl":
        return list(_jsonl_records(rel, text, encoding))
    if fmt == "json":
        return list(_json_records(rel, text, encoding))
    doc = RawDocument(
        article_id=article_id(raw), source_path=rel, sha256=sha256_hex(raw), n_bytes=len(raw),
        encoding=encoding, input_format=fmt, text=text,
    )
    if fmt == "html" and not (known is not None and known(rel, doc.sha256)):
        return [extract_html(doc)]
    return [doc]


def _jsonl_range(root: Path, rel: str, span: tuple[int, int, int]):
    """The records of one byte range of a JSONL corpus (JSON text is UTF-8)."""
    start, end, first_line = span
    try:
        with open(root / rel, "rb") as fh:
            fh.seek(start)
            data = fh.read(end - start)
    except OSError as exc:
        raise InputError("Q006", exc.strerror or type(exc).__name__) from exc
    if start == 0 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("Q002", f"JSONL records are not UTF-8: {exc.reason} at byte {start + exc.start}") from exc
    yield from _jsonl_records(rel, text, "utf-8", first_line)


def _json_records(rel: str, text: str, encoding: str):
    """The records of a .json file: one object, or an array of objects, each as a JSONL line holds one.
    A file that is no JSON is one error (Q009); in an array, a bad record is that record's only."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InputError("Q009", f"not JSON: {exc}") from exc
    records = value if isinstance(value, list) else [value]
    for n, rec in enumerate(records, start=1):
        yield from _record(rel, rec, json.dumps(rec, ensure_ascii=False), encoding, n, "json", "record")


def _jsonl_records(rel: str, text: str, encoding: str, first_line: int = 1):
    """One RawDocument per JSONL line: id, title, date, text; other fields kept as metadata."""
    for lineno, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            yield f"{rel}#line{lineno}", InputError("Q009", f"line {lineno}: {exc}")
            continue
        yield from _record(rel, rec, line, encoding, lineno, "jsonl", "line")


def _record(rel: str, rec, line: str, encoding: str, n: int, fmt: str, unit: str):
    """The RawDocument of one parsed record, or (path, InputError) (line: the record's JSON text, whose bytes
    give its id; n: its line, or its place in a .json file's array)."""
    raw = line.encode("utf-8", "surrogatepass")
    try:
        lone = RE_SURROGATE.search(line) if fmt == "json" else "\\u" in line and RE_SURROGATE_ESCAPE.search(line)
        if lone:
            rec = _without_lone_surrogates(rec)
        if not isinstance(rec, dict):
            raise TypeError(f"a JSON {type(rec).__name__}, not an object")
        body = rec["text"]
        if not isinstance(body, str):
            raise TypeError("text is not a string")
        title = rec.get("title")
        if isinstance(title, (int, float)) and not isinstance(title, bool):
            title = str(title)  # a headline of digits, as a spreadsheet exports it
        elif title is not None and not isinstance(title, str):
            raise TypeError(f"title is a JSON {type(title).__name__}, not a string")
    except (ValueError, KeyError, TypeError) as exc:
        yield f"{rel}#{unit}{n}", InputError("Q009", f"{unit} {n}: {exc}")
        return
    rec_id = str(rec.get("id", n))
    extra = {k: str(v) for k, v in rec.items() if k not in ("id", "title", "date", "text")}
    meta = PageMeta(title=title or None, published_date=parse_date_field(rec.get("date")), extra=extra)
    yield RawDocument(
        article_id=article_id(raw), source_path=f"{rel}#{rec_id}", sha256=sha256_hex(raw),
        n_bytes=len(raw), encoding=encoding, input_format=fmt, text=body, meta=meta,
    )


#: A JSON escape of half a surrogate pair (\ud800): json.loads gives a pair (\ud83d\ude00) as one character,
#: but half of one alone as a str that no UTF-8 writer takes (the run's JSONL and Parquet would fail).
RE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]", re.ASCII)
RE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value):
    """value with every lone surrogate replaced by U+FFFD (one character for one: offsets stay)."""
    if isinstance(value, str):
        return RE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    return value


def parse_date_field(value) -> dt.date | None:
    """'20220901', '2022-09-01', '2022年9月1日' -> date; anything else -> None."""
    if not value:
        return None
    m = RE_DATE_FIELD.match(str(value).strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def extract_html(doc: RawDocument) -> RawDocument:
    """Body text and metadata of an HTML page by trafilatura (boilerplate-aware)."""
    import trafilatura
    from trafilatura.settings import set_date_params

    _reuse_justext_stoplist()
    # htmldate's extensive search guesses a date from any year in the text (2025年党建工作会议 -> 2025-01-01):
    # only the page's own date markup counts; a dateline in the body is the cleaner's to read
    result = trafilatura.bare_extraction(
        doc.text, include_comments=False, include_tables=True, favor_recall=True, with_metadata=True,
        date_extraction_params=set_date_params(extensive=False),
    )
    body = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not body:
        raise InputError("Q008", "trafilatura found no main text")
    tags = {}
    for name, content in RE_META.findall(doc.text[:20000]):
        key = META_TAGS.get(name.lower())
        if key and content.strip() and key not in tags:
            tags[key] = content.strip()
    author_field = tags.get("author") or getattr(result, "author", None) or ""
    authors = tuple(a.strip() for a in re.split(r"[;,，、\s]+", author_field) if a.strip())
    meta = PageMeta(
        title=tags.get("title") or getattr(result, "title", None) or None,
        published_date=parse_date_field(tags.get("date")) or parse_date_field(getattr(result, "date", None)),
        publisher=tags.get("publisher") or tags.get("site") or getattr(result, "sitename", None) or None,
        authors=authors,
    )
    return doc.model_copy(update={"text": body, "meta": meta})


_justext_checked = False


def _reuse_justext_stoplist() -> None:
    """Make justext look up trafilatura's stop list once per process, not once per page that needs it.

    trafilatura's fallback (for a page its own extractor reads short) runs justext with one stop list of
    every language, a tuple of 154k words. justext's define_stoplist turns it into a frozenset behind an
    lru_cache, and the cache's key is that tuple: it is hashed again at every call (tuples do not keep
    their hash), ~5 ms a page. Here define_stoplist answers a tuple or frozenset it was given last time
    (the same object, so the same words) from memory: on the 402 pages of the 10k benchmark corpus,
    99 of which take the fallback, ~0.45 s of CPU, with the same text and metadata. Anything else goes
    to justext's function as before. Installed once; left alone if justext is missing or its function
    is not the one this wraps.
    """
    global _justext_checked
    if _justext_checked:  # once per process: extract_html asks for every page
        return
    _justext_checked = True
    try:
        import justext.core as jc
    except ImportError:
        return
    original = jc.define_stoplist
    if getattr(original, "_dangjian_memo", False) or original.__name__ != "define_stoplist":
        return
    last: list = [None, None]  # (argument, answer): the argument is held, so its id cannot be reused

    @functools.wraps(original)
    def define_stoplist(stoplist):
        if not isinstance(stoplist, (tuple, frozenset)):  # a list may change between calls
            return original(stoplist)
        if stoplist is not last[0]:
            last[:] = [stoplist, original(stoplist)]
        return last[1]

    define_stoplist._dangjian_memo = True
    jc.define_stoplist = define_stoplist
