"""Bad input: every kind gets a one-line reason, is accounted for in the manifest, and the run goes on."""

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from pipeline.config import PipelineConfig
from tests.conftest import SEEDS, write_version

GOOD = "深入贯彻党的二十大精神,城关镇党委召开会议,全镇32个村党组织书记参加。"


def _bad_inputs(root: Path) -> dict[str, str]:
    """file name -> expected status code ('' for processed)."""
    (root / "empty.txt").write_bytes(b"")
    (root / "whitespace.txt").write_text(" \n\t\n   \n", encoding="utf-8")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (root / "truncated.txt").write_bytes(GOOD.encode("utf-8")[:-1])
    (root / "mixed.txt").write_bytes(GOOD.encode("utf-8") * 5 + "城关镇党委召开会议".encode("gb18030") * 5)
    (root / "undecodable.txt").write_bytes(b"\x80\xff" * 200)
    with open(root / "huge.txt", "wb") as fh:
        fh.truncate(50_000_000)
    (root / "english.txt").write_text("This page has no Chinese text at all, only English words.", encoding="utf-8")
    (root / "nobody.html").write_text("<html><head><title>t</title></head><body><div> </div></body></html>")
    (root / "名字 有空格.txt").write_text(GOOD, encoding="utf-8")
    (root / "notes.docx").write_bytes(b"PK\x03\x04 not a text file")
    os.symlink("loop.txt", root / "loop.txt")
    (root / "sub").mkdir()
    shutil.copy(SEEDS / "000_11a0a0e47bdaf19f.txt", root / "sub" / "good.txt")
    return {"empty.txt": "Q011", "whitespace.txt": "Q001", "binary.txt": "Q004", "truncated.txt": "Q002",
            "mixed.txt": "Q010", "undecodable.txt": "Q002", "huge.txt": "Q005", "english.txt": "Q003",
            "nobody.html": "Q008", "名字 有空格.txt": "", "notes.docx": "Q012", "loop.txt": "Q007",
            "sub/good.txt": ""}


def test_every_bad_input_is_accounted_for(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    expected = _bad_inputs(src)
    manifest, _ = write_version(src, tmp_path / "out", PipelineConfig(batch_size=4))
    got = {r.path: r for r in manifest.inputs}
    assert set(got) == set(expected)
    for path, code in expected.items():
        rec = got[path]
        assert (rec.status, rec.code) == (("ok", "") if not code else ("quarantined", code)), (path, rec)
        if code:
            assert rec.reason.startswith(code) and "\n" not in rec.reason
    assert manifest.n_ok == 2 and manifest.n_quarantined == len(expected) - 2
    assert manifest.tables["articles"].rows == 2
    # the input records reach manifest.json as spooled, not parsed again: exactly the model's JSON all the
    # same (a path with spaces and CJK, reasons with quotes), and the JSONL hashes are the files'
    vdir = tmp_path / "out" / manifest.version_id
    assert (vdir / "manifest.json").read_text(encoding="utf-8") == manifest.model_dump_json(indent=2) + "\n"
    for name, table in manifest.tables.items():
        assert table.jsonl_sha256 == hashlib.sha256((vdir / f"{name}.jsonl").read_bytes()).hexdigest()


def test_unreadable_file_is_quarantined(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "locked.txt").write_text(GOOD, encoding="utf-8")
    (src / "ok.txt").write_text(GOOD, encoding="utf-8")
    real = Path.read_bytes

    def deny(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)  # root ignores chmod 000, so the OS error is simulated
    manifest, _ = write_version(src, tmp_path / "out")
    rec = {r.path: r for r in manifest.inputs}["locked.txt"]
    assert rec.code == "Q006" and "Permission denied" in rec.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_by_mode(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "locked.txt").write_text(GOOD, encoding="utf-8")
    (src / "locked.txt").chmod(0)
    manifest, _ = write_version(src, tmp_path / "out")
    assert manifest.inputs[0].code == "Q006"


def test_duplicate_content_is_one_article(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):  # b in the same batch as a, c in a later one
        shutil.copy(SEEDS / "000_11a0a0e47bdaf19f.txt", src / name)
    (src / "ab.txt").write_text(GOOD, encoding="utf-8")
    manifest, _ = write_version(src, tmp_path / "out", PipelineConfig(batch_size=2))
    got = {r.path: r for r in manifest.inputs}
    assert got["a.txt"].status == "ok" and got["ab.txt"].status == "ok"
    for dup in ("b.txt", "c.txt"):
        assert got[dup].code == "Q013" and "same bytes as" in got[dup].reason
    assert manifest.tables["articles"].rows == 2


def _raise_on(marker: str, stage):
    """stage, raising ZeroDivisionError (as a rule's bug would) on one input: a text argument that holds
    marker, or a document or page whose source path is marker."""
    def failing(*args, **kwargs):
        for a in args:
            if (marker in a if isinstance(a, str)
                    else getattr(getattr(a, "article", a), "source_path", None) == marker):
                return 1 // 0
        return stage(*args, **kwargs)
    return failing


@pytest.mark.issue(6)
@pytest.mark.parametrize("where", ["clean_text", "extract_counts", "extract_events", "extract_html"])
def test_an_input_a_stage_fails_on_is_quarantined_and_the_run_goes_on(tmp_path, monkeypatch, caplog, where):
    """A stage that raises on one input (a rule meeting text nobody foresaw) quarantines that input as Q014,
    with the exception and the pipeline's line that raised it, and logs the traceback; none of its rows is
    written, not even those of the stages before; the other inputs' rows are those of a run without it."""
    import pyarrow.parquet as pq

    import pipeline.process as process
    from pipeline.stages import ingest

    src = tmp_path / "in"
    src.mkdir()
    for seed in sorted(SEEDS.iterdir())[:3]:
        shutil.copy(seed, src / seed.name)
    doomed = sorted(SEEDS.iterdir())[3]
    text = doomed.read_text(encoding="utf-8")
    if where == "extract_html":  # a page, which the extractor breaks on
        (src / "doomed.html").write_text(f"<html><body><article><p>{text}</p></article></body></html>", encoding="utf-8")
        marker = "doomed.html"
    else:
        shutil.copy(doomed, src / "doomed.txt")
        marker = text[:40] if where == "clean_text" else "doomed.txt"  # clean_text is given the raw text
    without = tmp_path / "without"
    shutil.copytree(src, without, ignore=shutil.ignore_patterns("doomed.*"))
    want, _ = write_version(without, tmp_path / "want")

    module = ingest if where == "extract_html" else process  # where the stage is called from
    monkeypatch.setattr(module, where, _raise_on(marker, getattr(module, where)))
    with caplog.at_level("WARNING", logger="pipeline.process"):
        manifest, _ = write_version(src, tmp_path / "data")

    [record] = [r for r in manifest.inputs if r.path.startswith("doomed")]
    assert record.status == "quarantined" and record.code == "Q014"
    assert record.reason.startswith("Q014 the pipeline failed on this input: ZeroDivisionError: ")
    assert " at test_bad_input.py:" not in record.reason and " at " in record.reason  # the pipeline's line
    assert any("ZeroDivisionError" in (r.exc_text or "") for r in caplog.records)
    assert [r for r in manifest.inputs if r.path != record.path] == want.inputs
    for table in ("articles", "counts", "initiatives", "events", "persons"):
        got = pq.read_table(tmp_path / "data" / manifest.version_id / f"{table}.parquet")
        assert got.equals(pq.read_table(tmp_path / "want" / want.version_id / f"{table}.parquet")), table


@pytest.mark.issue(6)
def test_a_page_of_nothing_but_counts_is_quarantined_before_its_evidence_fills_memory(tmp_path):
    """Every row carries its sentence: 3至5个 x 6000 (no end punctuation: 3,000-character sentences) makes
    6,000 counts carrying 18M characters, and at 40k repetitions a 1.25 GiB process. An article whose rows
    would carry more than MAX_EVIDENCE_CHARS is Q015 with none of its rows; the others are kept."""
    from pipeline.errors import MAX_EVIDENCE_CHARS

    src = tmp_path / "in"
    src.mkdir()
    (src / "dump.txt").write_text("3至5个" * 6000, encoding="utf-8")
    shutil.copy(SEEDS / "000_11a0a0e47bdaf19f.txt", src / "good.txt")
    manifest, _ = write_version(src, tmp_path / "data")
    got = {r.path: r for r in manifest.inputs}
    assert got["dump.txt"].code == "Q015" and f"(at most {MAX_EVIDENCE_CHARS:,})" in got["dump.txt"].reason
    assert got["good.txt"].status == "ok" and manifest.tables["counts"].rows > 0
    import pyarrow.parquet as pq

    articles = pq.read_table(tmp_path / "data" / manifest.version_id / "articles.parquet").column("source_path")
    assert articles.to_pylist() == ["good.txt"]


@pytest.mark.issue(6)
@pytest.mark.parametrize("page", ["3至5个" * 6000, "3月5日上午,区委召开会议," * 3000])
def test_the_extractors_stop_once_an_article_carries_too_much_evidence(page):
    """Counts and events raise Q015 as soon as their rows pass MAX_EVIDENCE_CHARS, before a page ten
    times larger would hold ten times the rows (~1.5 KB each) in memory."""
    from pipeline.errors import InputError
    from pipeline.stages.counts import extract_counts
    from pipeline.stages.events import extract_events
    from tests.conftest import make_doc

    doc = make_doc(page)
    with pytest.raises(InputError) as raised:
        extract_counts(doc) if "至" in page else extract_events(doc, {})
    assert raised.value.code == "Q015"
