"""Per-article reuse (pipeline.reuse): unchanged articles take their rows from the previous version.

The runs here are the flow's calls without Prefect (lock, writer with fingerprints,
reuse index, batches, commit); tests/test_flow.py runs the flow itself.
"""

import json
import shutil
from pathlib import Path

import pytest

from pipeline import process
from pipeline.config import PipelineConfig
from pipeline.dataset import DatasetLock, DatasetWriter, read_latest
from pipeline.fingerprint import inputs_fingerprint, pipeline_fingerprint
from pipeline.package import finalize_version
from pipeline.reuse import INDEX_FILE, IndexBuild, build_index, process_units, write_index
from pipeline.versions import made_by_pipeline
from pipeline.stages.ingest import discover_inputs, plan_batches

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "tests" / "data" / "pages" / "gov_page.html"
CONFIG = PipelineConfig(batch_size=4)


def run(src: Path, out: Path, reuse: bool, config: PipelineConfig = CONFIG, spoil=None) -> tuple[str, int]:
    """One run as the flow makes it; (version id, articles reused). spoil(previous_dir), called once the index is
    written, returns what undoes it before the commit (the report diffs against the previous version)."""
    paths = discover_inputs(src)
    fingerprints = (pipeline_fingerprint(config), inputs_fingerprint(src, paths))
    reused = 0
    with DatasetLock(out):
        previous = read_latest(out)
        with DatasetWriter(out, src, config, fingerprints) as writer:
            index = str(writer.stage / INDEX_FILE)
            made_by_it = bool(previous) and made_by_pipeline(out, previous, fingerprints[0])
            if not (reuse and previous and write_index(out / previous, fingerprints[0], Path(index), made_by_it)):
                index = None
            undo = spoil(out / previous) if spoil is not None else None
            for units in plan_batches(src, paths, config.batch_size):
                batch = process_units(src, units, config, index)
                reused += batch.reused
                writer.add(batch)
            if index:
                Path(index).unlink()
            if undo is not None:
                undo()
            head, _new = writer.commit(finalize=finalize_version)
    return head.version_id, reused


@pytest.fixture
def corpus(tmp_path) -> Path:
    """The seeds, a government page, and 30 JSONL records (long paragraphs of the seeds, one a record)."""
    src = tmp_path / "in"
    shutil.copytree(ROOT / "seeds", src)
    shutil.copy(PAGE, src / "page.html")
    paragraphs = [line for path in sorted(src.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()
                  if len(line) > 40 and line.endswith("。")]
    records = [json.dumps({"id": f"r{i:02d}", "title": f"第{i}条", "date": f"2025-03-{i % 28 + 1:02d}", "text": text},
                          ensure_ascii=False) + "\n" for i, text in enumerate(paragraphs[:30])]
    assert len(records) == 30
    (src / "news.jsonl").write_text("".join(records), encoding="utf-8")
    return src


def edit(src: Path) -> int:
    """Change one seed and two records far apart in the JSONL file, add a file; the number of changed articles."""
    seed = sorted(src.glob("*.txt"))[2]
    seed.write_text(seed.read_text(encoding="utf-8") + "\n2025年3月4日，街道召开党建工作会议，120名党员参加。\n",
                    encoding="utf-8")
    news = src / "news.jsonl"
    lines = news.read_text(encoding="utf-8").splitlines(keepends=True)
    for i in (3, 25):
        rec = json.loads(lines[i])
        rec["text"] += "全区共有58个党组织。"
        lines[i] = json.dumps(rec, ensure_ascii=False) + "\n"
    news.write_text("".join(lines), encoding="utf-8")
    (src / "010_new.txt").write_text("2025年4月1日，区委书记王强主持召开会议，全区1200名党员参加“党建引领”工程。\n",
                                     encoding="utf-8")
    return 4


def version_files(vdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(vdir.iterdir()) if p.suffix in (".parquet", ".jsonl")}


def inputs_of(vdir: Path) -> list[dict]:
    return json.loads((vdir / "manifest.json").read_text(encoding="utf-8"))["inputs"]


@pytest.mark.issue(6)
def test_only_the_changed_articles_of_a_batch_are_processed_and_the_version_is_the_same(corpus, tmp_path, monkeypatch):
    """Edits spread over several batches: their other articles are read back, and the new version is the one a
    run processing everything makes (same tables byte for byte, same manifest records)."""
    out = tmp_path / "out"
    first, reused = run(corpus, out, reuse=True)
    assert reused == 0  # no previous version
    n_changed = edit(corpus)
    processed = []
    real = process.extract_batch
    monkeypatch.setattr(process, "extract_batch",
                        lambda cleaned, cfg: processed.extend(d.article.source_path for d in cleaned.docs)
                        or real(cleaned, cfg))
    second, reused = run(corpus, out, reuse=True)
    fresh, _ = run(corpus, tmp_path / "fresh", reuse=True)  # no previous version there: everything processed
    assert second == fresh != first
    assert version_files(out / second) == version_files(tmp_path / "fresh" / fresh)
    assert inputs_of(out / second) == inputs_of(tmp_path / "fresh" / fresh)
    n_ok = sum(1 for r in inputs_of(out / second) if r["status"] == "ok")
    assert len(processed) - n_ok == n_changed  # the fresh run processed all n_ok; the reusing run only the changed
    assert reused == n_ok - n_changed
    assert sorted(processed[:n_changed]) == sorted(["002_3a19eccab1853679.txt", "news.jsonl#" + _id(corpus, 3),
                                                    "news.jsonl#" + _id(corpus, 25), "010_new.txt"])
    assert not list(out.glob(f"*/{INDEX_FILE}")) and not list(out.glob(f".*/{INDEX_FILE}"))


def _id(src: Path, line: int) -> str:
    return str(json.loads((src / "news.jsonl").read_text(encoding="utf-8").splitlines()[line])["id"])


@pytest.mark.issue(6)
def test_a_previous_version_of_another_pipeline_is_not_reused(corpus, tmp_path):
    out = tmp_path / "out"
    first, _ = run(corpus, out, reuse=True)
    assert build_index(out / first, pipeline_fingerprint(CONFIG)) is not None
    other = PipelineConfig(batch_size=4, min_chinese_chars=CONFIG.min_chinese_chars + 1)  # changes what is extracted
    assert build_index(out / first, pipeline_fingerprint(other)) is None
    edit(corpus)
    _second, reused = run(corpus, out, reuse=True, config=other)
    assert reused == 0


@pytest.mark.issue(6)
def test_a_worker_that_cannot_read_the_previous_version_processes_its_articles(corpus, tmp_path):
    """Rows that cannot be read back (a worker without the output dir) are made again: same version,
    the page that ingest left unextracted (its bytes were known) extracted after all."""
    out = tmp_path / "out"
    run(corpus, out, reuse=True)
    edit(corpus)

    def spoil(vdir: Path):
        hidden = (vdir / "articles.parquet").rename(tmp_path / "hidden.parquet")
        return lambda: hidden.rename(vdir / "articles.parquet")  # every reused article needs its row

    version, reused = run(corpus, out, reuse=True, spoil=spoil)
    fresh, _ = run(corpus, tmp_path / "fresh", reuse=False)
    assert reused == 0 and version == fresh
    assert any(r["path"] == "page.html" and r["status"] == "ok" for r in inputs_of(out / version))


@pytest.mark.issue(6)
def test_rows_of_a_version_not_grouped_by_article_are_not_reused(corpus, tmp_path):
    """The index relies on each table's rows going article by article in article order; a version whose
    rows do not (hand-edited, another writer) gives no index."""
    import pyarrow.parquet as pq

    out = tmp_path / "out"
    first, _ = run(corpus, out, reuse=True)
    path = out / first / "counts.parquet"
    table = pq.read_table(path)
    assert table.num_rows > 2 and len(set(table["article_id"].to_pylist())) > 1
    pq.write_table(table.take(list(range(table.num_rows))[::-1]), path)
    assert build_index(out / first, pipeline_fingerprint(CONFIG)) is None


@pytest.mark.issue(6)
def test_a_batch_with_reused_rows_pickles_no_larger_than_one_processed_whole(corpus, tmp_path):
    """Batches travel pickled (worker to flow, into the task cache). Rows read back must be copies: a slice of
    a row group pickles the whole row group (the articles' texts of 20,000 rows)."""
    import pickle

    out = tmp_path / "out"
    run(corpus, out, reuse=True)
    edit(corpus)
    paths = discover_inputs(corpus)
    with DatasetWriter(tmp_path / "scratch", corpus, CONFIG) as writer:
        index = str(writer.stage / INDEX_FILE)
        assert write_index(out / read_latest(out), pipeline_fingerprint(CONFIG), Path(index))
        n_reused = 0
        for units in plan_batches(corpus, paths, CONFIG.batch_size):
            reused = process_units(corpus, units, CONFIG, index)
            whole = process_units(corpus, units, CONFIG)
            n_reused += reused.reused
            assert whole.reused == 0
            assert {n: t.to_pylist() for n, t in reused.tables.items()} == {n: t.to_pylist() for n, t in whole.tables.items()}
            assert reused.jsonl == whole.jsonl and reused.inputs == whole.inputs and reused.articles == whole.articles
            assert len(pickle.dumps(reused)) < 1.1 * len(pickle.dumps(whole))
        writer.abort()
    assert n_reused == sum(1 for r in inputs_of(out / read_latest(out)) if r["status"] == "ok") - 3  # 3 edited


@pytest.mark.issue(6)
def test_a_version_first_written_by_another_pipeline_is_reused_by_one_that_made_it_too(corpus, tmp_path):
    """Versions are content-addressed: a pipeline change that leaves every row as it was finds its version in
    place, with the manifest of the pipeline that first wrote it. Its run record says it made that version too."""
    out = tmp_path / "out"
    first, _ = run(corpus, out, reuse=True)
    other = PipelineConfig(batch_size=4, min_chinese_chars=CONFIG.min_chinese_chars + 1)  # no article is that short
    again, _ = run(corpus, out, reuse=True, config=other)
    assert again == first and build_index(out / first, pipeline_fingerprint(other)) is None
    n_changed = edit(corpus)
    version, reused = run(corpus, out, reuse=True, config=other)
    fresh, _ = run(corpus, tmp_path / "fresh", reuse=False, config=other)
    assert version == fresh
    assert reused == sum(1 for r in inputs_of(out / version) if r["status"] == "ok") - n_changed


@pytest.mark.issue(6)
def test_the_flow_builds_the_index_in_a_child_process_and_removes_it_at_the_end(corpus, tmp_path):
    """IndexBuild: the manifest of a large version is parsed in a child that exits (the flow's memory keeps no
    peak); its file lives under the output dir only while the run does."""
    from pipeline.reuse import load_index

    out = tmp_path / "out"
    first, _ = run(corpus, out, reuse=True)
    with IndexBuild(out, first, pipeline_fingerprint(CONFIG)) as build:
        path = build.result()
        assert path is not None and build.proc.returncode == 0
        assert len(load_index(path).records) == sum(1 for r in inputs_of(out / first) if r["status"] == "ok")
    assert not Path(path).exists() and not list(out.glob(".staging-*"))
    for previous, config in ((None, CONFIG), (first, PipelineConfig(min_chinese_chars=3))):  # none; another pipeline
        with IndexBuild(out, previous, pipeline_fingerprint(config)) as build:
            assert build.result() is None
    (out / "vbroken").mkdir()
    (out / "vbroken" / "manifest.json").write_text("[]", encoding="utf-8")  # the child fails: the run says why
    with IndexBuild(out, "vbroken", pipeline_fingerprint(CONFIG)) as build:
        assert build.result() is None and "AttributeError" in build.error
    assert not list(out.glob(".staging-*"))


@pytest.mark.issue(6)
def test_a_worker_waits_for_the_index_only_while_it_is_being_built(corpus, tmp_path):
    """The batches go before the index is built: a worker that processes one waits for the index's file
    (written whole, by rename) or the marker that there is none; a worker that cannot see its dir (another
    host) does not wait, nor past its limit."""
    import threading
    import time

    from pipeline import reuse

    out = tmp_path / "out"
    first, _ = run(corpus, out, reuse=True)
    building = out / ".staging-reuse-test"
    building.mkdir()
    path = building / INDEX_FILE
    late = threading.Timer(0.3, write_index, (out / first, pipeline_fingerprint(CONFIG), path))
    late.start()
    t0 = time.monotonic()
    index = reuse._read_index(path, wait=30)
    assert index is not None and index.records and time.monotonic() - t0 >= 0.25
    late.join()
    assert not list(building.glob("*.tmp"))
    path.unlink()
    (building / (INDEX_FILE + reuse.NO_INDEX_SUFFIX)).touch()
    t0 = time.monotonic()
    assert reuse._read_index(path, wait=30) is None and time.monotonic() - t0 < 1  # no index: no wait
    assert reuse._read_index(tmp_path / "elsewhere" / INDEX_FILE, wait=30) is None  # not on this host
    (building / (INDEX_FILE + reuse.NO_INDEX_SUFFIX)).unlink()
    t0 = time.monotonic()
    assert reuse._read_index(path, wait=0.3) is None and 0.25 <= time.monotonic() - t0 < 5  # a dead flow
    for previous, config in ((first, PipelineConfig(min_chinese_chars=3)), ("vbroken", CONFIG)):
        if previous == "vbroken":
            (out / "vbroken").mkdir()
            (out / "vbroken" / "manifest.json").write_text("[]", encoding="utf-8")
        with IndexBuild(out, previous, pipeline_fingerprint(config)) as build:
            assert build.path is not None  # known at once, before the child has finished
            assert reuse._read_index(Path(build.path), wait=60) is None  # the marker came: nobody waits on
            assert build.result() is None

