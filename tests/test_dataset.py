"""The dataset on disk: layout, manifest, evidence, determinism, atomic commit."""

import hashlib
import json

import pyarrow.parquet as pq
import pytest

from pipeline.config import PipelineConfig
from pipeline.dataset import DatasetLock, DatasetWriter, read_latest
from schemas import TABLES
from tests.conftest import SEEDS, write_version


def rows(vdir, table):
    return [json.loads(line) for line in (vdir / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()]


def test_layout_and_nonempty_tables(seed_run):
    vdir, manifest = seed_run
    assert (vdir.parent / "LATEST").read_text().strip() == vdir.name
    for table in TABLES:
        assert (vdir / f"{table}.parquet").exists() and (vdir / f"{table}.jsonl").exists()
        assert manifest.tables[table].rows > 0, table
        assert pq.read_metadata(vdir / f"{table}.parquet").num_rows == manifest.tables[table].rows


def test_manifest_accounts_for_every_input(seed_run):
    _vdir, manifest = seed_run
    assert [r.path for r in manifest.inputs] == sorted(p.name for p in SEEDS.glob("*.txt"))
    for rec in manifest.inputs:
        assert rec.status == "ok"
        assert rec.sha256 == hashlib.sha256((SEEDS / rec.path).read_bytes()).hexdigest()
        assert rec.article_id == rec.sha256[:16]
    assert manifest.n_ok == 5 and manifest.n_quarantined == 0
    assert "measure_words.txt" in manifest.resources


def test_manifest_file_is_the_models_json(seed_run):
    vdir, manifest = seed_run
    assert (vdir / "manifest.json").read_text(encoding="utf-8") == manifest.model_dump_json(indent=2) + "\n"


def test_manifest_streams_inputs_in_path_order_across_batches(tmp_path):
    """Input records are spooled batch by batch, yet the manifest lists them in path order
    (r10 before r2), quarantined ones included, and the version id does not depend on batch size."""
    lines = [json.dumps({"id": f"r{i}", "text": f"第{i}条:全区新建{i + 2}个党群服务中心,服务党员群众。"}, ensure_ascii=False)
             for i in range(12)]
    lines[3] = "{broken"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "in" / "a.txt").write_text("x", encoding="utf-8")  # no Chinese: quarantined
    small, _ = write_version(tmp_path / "in", tmp_path / "out5", PipelineConfig(batch_size=5, min_chinese_chars=1))
    whole, _ = write_version(tmp_path / "in", tmp_path / "out50", PipelineConfig(batch_size=50, min_chinese_chars=1))
    paths = [r.path for r in small.inputs]
    assert paths == sorted(paths) and paths.index("big.jsonl#r10") < paths.index("big.jsonl#r2")
    assert {r.path: r.code for r in small.inputs if r.status != "ok"} == {"a.txt": "Q003", "big.jsonl#line4": "Q009"}
    assert small.n_ok == 11 and small.n_quarantined == 2
    assert small.version_id == whole.version_id and small.inputs == whole.inputs
    assert not list((tmp_path / "out5" / small.version_id).glob(".inputs*"))  # the spool is gone


def test_every_row_carries_exact_evidence(seed_run):
    vdir, _m = seed_run
    articles = {a["article_id"]: a for a in rows(vdir, "articles")}
    n = 0
    for table in ("counts", "initiatives", "events", "persons"):
        for r in rows(vdir, table):
            field = articles[r["article_id"]][r["source_field"]]
            assert field[r["char_start"]:r["char_end"]] == r["text"], (table, r)
            assert r["text"] in r["sentence"] and r["method"]
            n += 1
    assert n > 100


def test_ids_are_unique(seed_run):
    vdir, _m = seed_run
    for table, key in (("counts", "count_id"), ("events", "event_id")):
        ids = [r[key] for r in rows(vdir, table)]
        assert len(ids) == len(set(ids))
    for table, key in (("initiatives", "initiative_id"), ("persons", "person_id")):
        pairs = [(r["article_id"], r[key]) for r in rows(vdir, table)]
        assert len(pairs) == len(set(pairs))


def test_two_runs_give_identical_tables(tmp_path, seed_run):
    _vdir, first = seed_run
    second, is_new = write_version(SEEDS, tmp_path, PipelineConfig(batch_size=2))
    assert is_new and second.version_id == first.version_id
    for table in TABLES:
        assert second.tables[table] == first.tables[table]


def test_rerun_into_same_root_keeps_the_version(tmp_path):
    m1, new1 = write_version(SEEDS, tmp_path)
    m2, new2 = write_version(SEEDS, tmp_path)
    assert new1 and not new2 and m1.version_id == m2.version_id
    assert read_latest(tmp_path) == m1.version_id


def test_failure_mid_write_leaves_latest_and_no_staging(tmp_path):
    m1, _ = write_version(SEEDS, tmp_path)
    with pytest.raises(RuntimeError):
        with DatasetLock(tmp_path), DatasetWriter(tmp_path, SEEDS, PipelineConfig()) as writer:
            raise RuntimeError("simulated crash in the middle of a run")
    assert read_latest(tmp_path) == m1.version_id
    assert not list(tmp_path.glob(".staging-*"))
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["LATEST", m1.version_id]


def test_lock_keeps_a_second_run_out(tmp_path):
    from pipeline.errors import DatasetError

    with DatasetLock(tmp_path):
        with pytest.raises(DatasetError, match="another run is writing"):
            with DatasetLock(tmp_path, timeout=0.3):
                pass
    with DatasetLock(tmp_path, timeout=0.3):
        pass


def test_manifest_fields_leave_out_only_the_inputs(seed_run):
    from pipeline.dataset import manifest_fields

    vdir, manifest = seed_run
    whole = json.loads((vdir / "manifest.json").read_text(encoding="utf-8"))
    del whole["inputs"]
    assert manifest_fields(vdir) == whole and len(manifest.inputs) == 5
