"""Schemas: one source of truth; Parquet <-> JSONL <-> pydantic round-trips; exported JSON Schema is current."""

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from schemas import TABLES
from schemas.arrow import arrow_schema
from schemas.export import json_schemas

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("table", list(TABLES))
def test_parquet_jsonl_model_round_trip(seed_run, table):
    vdir, _m = seed_run
    model = TABLES[table]
    from_parquet = [model.model_validate(r) for r in pq.read_table(vdir / f"{table}.parquet").to_pylist()]
    from_jsonl = [model.model_validate_json(line) for line in (vdir / f"{table}.jsonl").read_text("utf-8").splitlines()]
    assert from_parquet == from_jsonl and from_parquet


@pytest.mark.parametrize("table", list(TABLES))
def test_parquet_schema_comes_from_the_model(seed_run, table):
    vdir, _m = seed_run
    schema = pq.read_schema(vdir / f"{table}.parquet")
    assert schema.names == list(TABLES[table].model_fields)
    assert schema.equals(arrow_schema(TABLES[table]), check_metadata=False)
    assert schema.field("article_id").metadata[b"description"]


def test_exported_json_schemas_are_current():
    for name, schema in json_schemas().items():
        path = ROOT / "schemas" / "json" / f"{name}.schema.json"
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(schema)), (
            f"{path} is stale: run `python -m pipeline schema`")


@pytest.mark.parametrize("table", list(TABLES))
def test_tables_read_back_with_duckdb_and_pyarrow(seed_run, table):
    import duckdb

    vdir, manifest = seed_run
    path = vdir / f"{table}.parquet"
    n_duck = duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]
    ids = duckdb.sql(f"SELECT article_id FROM read_parquet('{path}')").fetchall()
    assert n_duck == pq.read_table(path).num_rows == manifest.tables[table].rows
    assert all(len(i[0]) == 16 for i in ids)


def test_datapackage_describes_every_table(seed_run):
    vdir, manifest = seed_run
    package = json.loads((vdir / "datapackage.json").read_text(encoding="utf-8"))
    parquet = {r["name"]: r for r in package["resources"] if r["format"] == "parquet"}
    assert set(parquet) == set(TABLES)
    for name, res in parquet.items():
        assert res["hash"] == f"sha256:{manifest.tables[name].parquet_sha256}"
        assert [f["name"] for f in res["schema"]["fields"]] == list(TABLES[name].model_fields)
    assert "how it was made" in (vdir / "README.md").read_text(encoding="utf-8").lower()


@pytest.mark.issue(6)
def test_tables_from_jsonl_lines_are_the_tables_of_the_rows():
    """encode_batch reads each table from the JSONL lines it writes (Arrow's JSON reader; dates read as
    strings and cast): the same table, schema and metadata, as pa.Table.from_pylist of the dumped rows.
    The seeds, traditional pages among them, hold every column kind: dates, nulls, lists, participants."""
    import pyarrow as pa
    from pydantic import TypeAdapter

    from pipeline.config import PipelineConfig
    from pipeline.dataset import encode_batch
    from pipeline.process import process_paths
    from pipeline.stages.ingest import discover_inputs, plan_batches
    from tests.conftest import SEEDS

    config = PipelineConfig()
    [units] = plan_batches(SEEDS, discover_inputs(SEEDS), config.batch_size)
    batch = process_paths(SEEDS, units, config)
    first_article = batch.model_copy(update={name: [r for r in getattr(batch, name)
                                                    if r.article_id == batch.articles[0].article_id]
                                             for name in TABLES})
    nulls = batch.model_copy(update={  # an undated event, an article without date or district (none in the seeds)
        "events": [e.model_copy(update={"date": None}) for e in batch.events],
        "articles": [a.model_copy(update={"published_date": None, "district": None}) for a in batch.articles]})
    kinds = {"null date": False, "date": False, "participants": False}
    for rows_of in (batch, first_article, nulls, batch.model_copy(update={name: [] for name in TABLES})):
        encoded = encode_batch(rows_of)
        for name, model in TABLES.items():
            rows = getattr(rows_of, name)
            want = pa.Table.from_pylist(TypeAdapter(list[model]).dump_python(rows), schema=arrow_schema(model))
            assert encoded.tables[name].equals(want, check_metadata=True), name
            assert encoded.tables[name].schema.equals(arrow_schema(model), check_metadata=True)
        kinds["null date"] |= any(e.date is None for e in rows_of.events)
        kinds["date"] |= any(a.published_date for a in rows_of.articles)
        kinds["participants"] |= any(e.participants for e in rows_of.events)
    assert all(kinds.values()), kinds


@pytest.mark.issue(6)
@pytest.mark.parametrize("values", [[], [""], ["a4f0c2d19b7e3a55", "党员", "西城区委书记孙硕", "e\u0301", "𠀀"]])
def test_string_arrays_from_buffers_are_pa_arrays(values):
    import pyarrow as pa

    from schemas.arrow import string_array

    got = string_array(values)
    assert got.type == pa.string() and got.equals(pa.array(values, pa.string()))
    assert got.to_pylist() == values


@pytest.mark.issue(6)
@pytest.mark.parametrize("values", [[], [0], [3, 1, 2, 2**40, -5]])
def test_int64_arrays_from_buffers_are_pa_arrays(values):
    import pyarrow as pa

    from schemas.arrow import empty_table, int64_array

    assert int64_array(values).equals(pa.array(values, pa.int64()))
    schema = arrow_schema(TABLES["counts"])
    assert empty_table(schema).equals(schema.empty_table()) and empty_table(schema).schema.equals(schema, check_metadata=True)


@pytest.mark.slow
@pytest.mark.issue(6)
def test_a_run_imports_no_pandas(tmp_path):
    """pyarrow imports pandas the first time a Python value becomes Arrow (pa.array, from_pylist,
    empty_table): ~0.45 s of every run for a library the pipeline does not use. Two runs of the seeds into
    one root (batches, commit, validation, report; the second against the first version) import none."""
    import subprocess
    import sys

    from tests.conftest import ROOT, SEEDS

    code = ("import runpy, sys\n"
            "for out in (sys.argv[2], sys.argv[2]):\n"
            "    sys.argv = ['run_plain', sys.argv[1], out]\n"
            "    try:\n"
            "        runpy.run_path('tests/helpers/run_plain.py', run_name='__main__')\n"
            "    except SystemExit as exc:\n"
            "        assert not exc.code, exc.code\n"
            "print('pandas' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code, str(SEEDS), str(tmp_path / "data")], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    assert done.stdout.split()[-1] == "False", done.stdout
