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
