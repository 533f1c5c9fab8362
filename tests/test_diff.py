"""diff: equal versions, rows added/removed/changed in every table, exit codes, fail-on; the CI baseline."""

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.diff import diff_versions, format_markdown
from pipeline.dataset import read_latest
from schemas import SCHEMA_VERSION, TABLE_KEYS, TABLES
from schemas.arrow import arrow_schema
from tests.conftest import ROOT

CHANGE_COLUMN = {"articles": "title", "counts": "entity", "initiatives": "owner", "events": "name", "persons": "title"}


@pytest.fixture()
def edited(seed_run, tmp_path):
    """A copy of the seeds' version where every table lost its first row, changed its second, gained one."""
    vdir, _m = seed_run
    root = tmp_path / "root"
    shutil.copytree(vdir.parent, root, ignore=shutil.ignore_patterns(".lock"))
    new = root / "vedited000000"
    shutil.copytree(vdir, new)
    for table in TABLES:
        rows = pq.read_table(new / f"{table}.parquet").to_pylist()
        first, second = rows[0], dict(rows[1])
        second[CHANGE_COLUMN[table]] = "已修改"
        extra = dict(rows[2])
        for key in TABLE_KEYS[table]:
            if key != "article_id" or table == "articles":
                extra[key] = "f" * 16
        rows = [second, *rows[2:], extra]
        pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(TABLES[table])), new / f"{table}.parquet")
    return root, vdir.name, new.name, first


def test_equal_versions(seed_run):
    vdir, _m = seed_run
    result = diff_versions(vdir, vdir)
    assert result.equal and all(t.added == t.removed == t.changed == 0 for t in result.tables)


def test_added_removed_changed_in_every_table(edited):
    root, old, new, _first = edited
    result = diff_versions(root / old, root / new)
    for t in result.tables:
        assert (t.added, t.removed, t.changed) == (1, 1, 1), t.table
        assert t.changed_columns == {CHANGE_COLUMN[t.table]: 1}
        assert t.examples_changed[0]["changes"][CHANGE_COLUMN[t.table]][1] == "已修改"
    assert "| counts |" in format_markdown(result)


@pytest.mark.parametrize("args,code", [
    ([], 1),
    (["--fail-on", "removed>0"], 1),
    (["--fail-on", "removed>5"], 0),
    (["--fail-on", "counts.changed>=1"], 1),
])
def test_exit_codes(edited, args, code):
    root, old, new, _first = edited
    result = CliRunner().invoke(main, ["diff", old, new, "--data", str(root), *args])
    assert result.exit_code == code, result.output


def test_equal_rows_made_under_another_schema_say_so(seed_run, tmp_path):
    """Same rows, another schema version (1.0.0 -> 1.1.0 added source_field 'title'): no differences in the
    rows, and the text output says how the versions were made differently (it said nothing)."""
    vdir, _m = seed_run
    root = tmp_path / "root"
    shutil.copytree(vdir.parent, root, ignore=shutil.ignore_patterns(".lock"))
    old = root / "vschema100000"
    shutil.copytree(vdir, old)
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    manifest["schema_version"] = "1.0.0"
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    out = CliRunner().invoke(main, ["diff", old.name, vdir.name, "--data", str(root)])
    assert out.exit_code == 0
    assert out.output.splitlines()[:2] == [f"{old.name} -> {vdir.name}: no differences",
                                           f"  made with: schema_version: 1.0.0 -> {SCHEMA_VERSION}"]


def test_exit_zero_when_equal_and_two_on_error(seed_run):
    vdir, _m = seed_run
    runner = CliRunner()
    assert runner.invoke(main, ["diff", vdir.name, "LATEST", "--data", str(vdir.parent)]).exit_code == 0
    assert runner.invoke(main, ["diff", "vnope", "LATEST", "--data", str(vdir.parent)]).exit_code == 2
    assert runner.invoke(main, ["diff", vdir.name, "LATEST", "--data", str(vdir.parent), "--fail-on", "bogus"]).exit_code == 2


def test_json_format(edited):
    root, old, new, _first = edited
    out = CliRunner().invoke(main, ["diff", old, new, "--data", str(root), "--format", "json"]).output
    data = json.loads(out)
    assert data["equal"] is False and {t["table"] for t in data["tables"]} == set(TABLES)


def test_committed_baseline_is_current(seed_run):
    """CI gate: the seeds' dataset rebuilt now equals the baseline committed under data/.

    When a change of the pipeline is meant, rebuild the baseline (`make baseline`) and commit it
    with the change; the markdown below shows what changed.
    """
    vdir, _m = seed_run
    baseline_root = ROOT / "data"
    baseline = read_latest(baseline_root)
    assert baseline, "no committed baseline under data/: run `make baseline` and commit data/"
    result = diff_versions(baseline_root / baseline, vdir)
    assert result.equal, "the seeds' dataset differs from the committed baseline:\n\n" + format_markdown(result)


@pytest.mark.issue(6)
def test_changes_in_lists_structs_and_nulls_are_seen(seed_run, tmp_path):
    """Rows are compared by column hashes: a value that becomes NULL, a list item, a struct field inside
    a list all count as changes, column by column, and the examples show the values."""
    vdir, _m = seed_run
    new = tmp_path / "vchanged00000"
    shutil.copytree(vdir, new)
    edits = {  # table: (which row, how it changes)
        "articles": (lambda r: r["published_date"] is not None and r["district"] is not None,
                     lambda r: {**r, "district": None, "published_date": None, "authors": [*r["authors"], "新作者"]}),
        "initiatives": (lambda r: True, lambda r: {**r, "aliases": [*r["aliases"], "别名"]}),
        "events": (lambda r: r["participants"] and r["date"] is not None,
                   lambda r: {**r, "date": None, "participants": [{**p, "title": p["title"] + "长"} for p in r["participants"]]}),
    }
    for table, (which, edit) in edits.items():
        rows = pq.read_table(new / f"{table}.parquet").to_pylist()
        i = next(i for i, r in enumerate(rows) if which(r))
        rows[i] = edit(rows[i])
        pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(TABLES[table])), new / f"{table}.parquet")
    result = {t.table: t for t in diff_versions(vdir, new).tables}
    assert result["articles"].changed_columns == {"district": 1, "published_date": 1, "authors": 1}
    assert result["initiatives"].changed_columns == {"aliases": 1}
    assert result["events"].changed_columns == {"date": 1, "participants": 1}
    assert all(result[t].changed == 0 for t in ("counts", "persons"))
    assert all(result[t].changed == 1 and not result[t].added and not result[t].removed for t in edits)
    example = result["events"].examples_changed[0]["changes"]
    assert example["date"][1] is None and "长" in example["participants"][1]
