"""The Prefect flow through the CLI, under one test harness: same dataset as the plain run."""

import json

import pytest
from click.testing import CliRunner
from prefect.testing.utilities import prefect_test_harness

from pipeline.cli import main
from tests.conftest import SEEDS


@pytest.fixture(scope="session")
def prefect_harness():
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.mark.slow
def test_run_command_through_prefect(prefect_harness, tmp_path, seed_run):
    _vdir, manifest = seed_run
    result = CliRunner().invoke(main, ["run", "--input", str(SEEDS), "--output", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.rindex("\n{\n") + 1:])
    assert summary["version_id"] == manifest.version_id
    assert summary["rows"] == {name: t.rows for name, t in manifest.tables.items()}
    assert (tmp_path / "LATEST").read_text().strip() == manifest.version_id


def test_run_rejects_missing_input(tmp_path):
    result = CliRunner().invoke(main, ["run", "--input", str(tmp_path / "nope"), "--output", str(tmp_path)])
    assert result.exit_code == 1 and "does not exist" in result.output
