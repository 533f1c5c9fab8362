"""The temporary API server's start-up: what a one-run server skips, and only when it is safe."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.prefect_server import (
    NO_BLOCK_REGISTRATION,
    _migrations_head,
    _site_dir,
    fast_start_settings,
)

ROOT = Path(__file__).resolve().parent.parent
HEAD = _migrations_head(_site_dir())
MIGRATE_SETTINGS = ("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "PREFECT_API_DATABASE_MIGRATE_ON_START")


def _db_at(path: Path, revision: str | None) -> None:
    """A SQLite file with Alembic's version table at revision (no row when None)."""
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    if revision is not None:
        con.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    con.commit()
    con.close()


def test_the_installed_prefect_has_one_newest_sqlite_migration():
    versions = Path(_site_dir()) / "prefect" / "server" / "database" / "_migrations" / "versions" / "sqlite"
    assert HEAD is not None
    assert any(f'revision = "{HEAD}"' in p.read_text(encoding="utf-8") for p in versions.glob("*.py"))
    assert not any(f'down_revision = "{HEAD}"' in p.read_text(encoding="utf-8") for p in versions.glob("*.py"))


@pytest.mark.issue(6)
def test_migrations_are_skipped_only_for_the_default_database_at_the_newest_revision(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(tmp_path)  # no .env, prefect.toml or pyproject.toml of the repo
    env = {"PREFECT_HOME": str(home)}
    assert fast_start_settings(env) == NO_BLOCK_REGISTRATION  # no database yet: Prefect creates it

    _db_at(home / "prefect.db", HEAD)
    assert fast_start_settings(env)["PREFECT_SERVER_DATABASE_MIGRATE_ON_START"] == "false"

    others = [
        {**env, "PREFECT_API_DATABASE_CONNECTION_URL": "postgresql+asyncpg://u:p@db/prefect"},  # another database
        {**env, "PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "true"},  # the user's own choice
        {"PREFECT_HOME": str(tmp_path / "elsewhere")},  # no database there
    ]
    for other in others:
        assert not any(k in fast_start_settings(other) for k in MIGRATE_SETTINGS), other

    (home / "profiles.toml").write_text('active = "x"\n[profiles.x]\nPREFECT_API_DATABASE_CONNECTION_URL = "sqlite:///x"\n')
    assert "PREFECT_SERVER_DATABASE_MIGRATE_ON_START" not in fast_start_settings(env)
    (home / "profiles.toml").unlink()
    (tmp_path / "prefect.toml").write_text('[server.database]\nconnection_url = "sqlite:///y"\n')
    assert "PREFECT_SERVER_DATABASE_MIGRATE_ON_START" not in fast_start_settings(env)
    (tmp_path / "prefect.toml").unlink()

    (home / "prefect.db").unlink()
    _db_at(home / "prefect.db", "0000older000")  # a Prefect upgrade brought new migrations
    assert "PREFECT_SERVER_DATABASE_MIGRATE_ON_START" not in fast_start_settings(env)
    (home / "prefect.db").unlink()
    (home / "prefect.db").write_bytes(b"not a database")
    assert "PREFECT_SERVER_DATABASE_MIGRATE_ON_START" not in fast_start_settings(env)


def test_a_users_block_registration_setting_is_kept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"PREFECT_HOME": str(tmp_path)}
    assert not any(k in fast_start_settings({**env, "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "true"})
                   for k in NO_BLOCK_REGISTRATION)
    (tmp_path / "pyproject.toml").write_text("[tool.prefect.server]\nregister_blocks_on_start = true\n")
    assert not any(k in fast_start_settings(env) for k in NO_BLOCK_REGISTRATION)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no Prefect table: not Prefect's settings
    assert fast_start_settings(env) == NO_BLOCK_REGISTRATION


SERVER_TWICE = """
import json, os, httpx
from pipeline.prefect_server import TemporaryServer, fast_start_settings
out = {}
for run in ("first", "second"):
    out[run] = fast_start_settings(dict(os.environ))
    server = TemporaryServer()
    server.start()
    server.wait()
    r = httpx.post(server.api_url + "/flow_runs/filter", json={"limit": 1}, timeout=30)
    out[run + "_status"] = r.status_code
    server.stop()
print(json.dumps(out))
"""


@pytest.mark.slow
@pytest.mark.issue(6)
def test_a_new_prefect_home_is_migrated_once_then_the_server_starts_without_alembic(tmp_path):
    """The first server of a new PREFECT_HOME creates the database (Prefect's own migrations); the second
    finds it at the revision _migrations_head computed, skips Alembic, and answers a query on the database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({"PREFECT_HOME": str(tmp_path / "home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PYTHONPATH": str(ROOT)})
    proc = subprocess.run([sys.executable, "-c", SERVER_TWICE], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "PREFECT_SERVER_DATABASE_MIGRATE_ON_START" not in out["first"]
    assert out["second"]["PREFECT_SERVER_DATABASE_MIGRATE_ON_START"] == "false"
    assert out["first_status"] == out["second_status"] == 200
