"""A temporary Prefect API server for one run, started without importing Prefect's server stack.

Prefect starts the same server itself when no PREFECT_API_URL is set
(``prefect.server.api.server.SubprocessASGIServer``), but importing that class
loads the whole server (FastAPI, SQLAlchemy, the models: ~3 s of CPU) into the
flow process, and ``start()`` blocks until the server answers. Here the server
process starts at once with the same command and environment, the caller does
other work (import Prefect, start a Dask cluster) while it boots, and ``wait()``
blocks only when the API is needed. This module does not import Prefect: the
command line starts the server before it loads anything heavy.

The server lives for one run, so it skips two start-up steps a lasting server
needs (~0.6 s of its ~3.4 s of CPU, all of it on the run's critical path):
Alembic's migration check when the database is Prefect's default SQLite file
and already at the newest migration of the installed Prefect (_sqlite_at_head),
and block-type registration, which imports every Prefect collection (prefect-dask,
hence all of Dask) to find block types that this pipeline never uses. A user's
own setting of either is kept.
"""

import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

STARTUP_TIMEOUT = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _site_dir() -> str:
    """The directory that holds the prefect package (uvicorn's --app-dir), found without importing it."""
    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise RuntimeError("prefect is not installed in this environment")
    return str(Path(spec.origin).parent.parent)


def _settings_in_effect() -> dict[str, str]:
    """Prefect settings changed in this process (temporary_settings in tests) as environment variables.

    Without Prefect loaded, the server reads the same environment and profile as this process would.
    """
    if "prefect.settings" not in sys.modules:
        return {}
    from prefect.settings import get_current_settings

    return get_current_settings().to_environment_variables(exclude_unset=True)


def configured_api_url() -> str:
    """The Prefect API the user configured: PREFECT_API_URL, or Prefect's settings when already loaded."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    if "prefect.settings" in sys.modules:
        from prefect.settings import PREFECT_API_URL

        return PREFECT_API_URL.value() or ""
    return ""


#: Block types are registered by a lasting server (`prefect server start`); a run needs none.
NO_BLOCK_REGISTRATION = {"PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
                         "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false"}
#: Environment variables that already decide those steps (any alias Prefect reads).
BLOCK_SETTINGS = ("PREFECT_API_BLOCKS_REGISTER_ON_START", "PREFECT_SERVER_REGISTER_BLOCKS_ON_START",
                  "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION", "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION")
#: Prefect's SQLite migrations, in the installed package.
SQLITE_MIGRATIONS = Path("prefect", "server", "database", "_migrations", "versions", "sqlite")
RE_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=\n]*)?=\s*(.*)$", re.M)


def _migrations_head(site_dir: str) -> str | None:
    """The newest SQLite migration of the installed Prefect (the one no other revises); None unless exactly one."""
    revisions, revised = set(), set()
    for path in (Path(site_dir) / SQLITE_MIGRATIONS).glob("*.py"):
        for kind, value in RE_REVISION.findall(path.read_text(encoding="utf-8", errors="replace")):
            ids = set(re.findall(r"[\"']([0-9A-Za-z_]+)[\"']", value))
            (revisions if kind == "revision" else revised).update(ids)
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def _home(env: dict[str, str]) -> Path:
    return Path(env.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def _settings_files_text(env: dict[str, str]) -> str | None:
    """The text, upper-cased, of the settings files Prefect reads besides the environment: .env and
    prefect.toml here, pyproject.toml here when it has a [tool.prefect] table, the profiles file.
    None when one exists but cannot be read."""
    parts = []
    for path in (Path(".env"), Path("prefect.toml"), Path("pyproject.toml"),
                 Path(env.get("PREFECT_PROFILES_PATH") or _home(env) / "profiles.toml")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            continue
        except OSError:
            return None
        if path.name != "pyproject.toml" or "tool.prefect" in text:
            parts.append(text.upper())
    return "\n".join(parts)


def _default_sqlite(env: dict[str, str], files: str) -> Path | None:
    """Prefect's default database file ($PREFECT_HOME/prefect.db) when nothing may point the server elsewhere:
    no PREFECT_*DATABASE* variable, and no settings file that names a database, a home or a profiles path."""
    if any(k.startswith("PREFECT_") and "DATABASE" in k for k in env):
        return None
    if any(word in files for word in ("DATABASE", "HOME", "PROFILES_PATH")):
        return None
    return _home(env) / "prefect.db"


def _sqlite_at_head(db: Path, head: str | None) -> bool:
    """Whether the SQLite database exists and Alembic has it at revision head (read-only; False on any error)."""
    if head is None or not db.is_file():
        return False
    import sqlite3

    try:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return rows == [(head,)]


def fast_start_settings(env: dict[str, str]) -> dict[str, str]:
    """Settings that spare a one-run server's start-up what only a lasting server needs (see the module's
    docstring), given the environment it starts with. Nothing where the user's environment or settings
    files decide the step (or might: an unreadable file)."""
    files = _settings_files_text(env)
    if files is None:
        return {}
    updates = {}
    if not any(k in env for k in BLOCK_SETTINGS) and "BLOCK" not in files:
        updates.update(NO_BLOCK_REGISTRATION)
    db = _default_sqlite(env, files)  # None also when the user set *_DATABASE_MIGRATE_ON_START
    if db is not None and _sqlite_at_head(db, _migrations_head(_site_dir())):
        updates["PREFECT_SERVER_DATABASE_MIGRATE_ON_START"] = "false"
    return updates


#: Runs first in the server's own process (Linux): SIGTERM when the process that started it dies, so
#: a run killed with SIGKILL or SIGTERM leaves no orphaned server behind; then exec's the server.
#: (Done after the fork in a fresh interpreter: a preexec_fn is unsafe while the caller has threads.)
_LAUNCH_WITH_PDEATHSIG = (
    "import ctypes, os, signal, sys\n"
    "parent = int(sys.argv[1])\n"
    "try:\n"
    "    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG\n"
    "except (OSError, AttributeError):\n"
    "    pass\n"
    "if os.getppid() != parent:\n"
    "    sys.exit(0)  # the parent died before the signal was armed\n"
    "os.execv(sys.executable, [sys.executable, *sys.argv[2:]])\n"
)


class TemporaryServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen | None = None
        self._ready = False

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> None:
        if self.process is not None:
            return
        env = {**os.environ, **_settings_in_effect(),
               "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        env.pop("PREFECT_API_URL", None)
        env.update(fast_start_settings(env))
        command = ["-m", "uvicorn", "--app-dir", _site_dir(), "--factory",
                   "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
                   "--log-level", "error", "--lifespan", "on"]
        if sys.platform.startswith("linux"):
            command = ["-c", _LAUNCH_WITH_PDEATHSIG, str(os.getpid()), *command]
        self.process = subprocess.Popen([sys.executable, *command], env=env)

    def wait(self) -> None:
        """Block until the API answers; RuntimeError when the server died or did not come up in time."""
        if self._ready:
            return
        import httpx  # here, not at the top: a rerun that finds nothing to do never asks

        deadline = time.monotonic() + STARTUP_TIMEOUT
        with httpx.Client() as client:
            while time.monotonic() < deadline:
                if self.process is None or self.process.poll() is not None:
                    code = None if self.process is None else self.process.returncode
                    raise RuntimeError(f"the temporary Prefect server exited (status {code}) before it answered; "
                                       "set PREFECT_API_URL to a running server, or see the output above")
                try:
                    if client.get(f"{self.api_url}/health", timeout=2).status_code == 200:
                        self._ready = True
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        raise RuntimeError(f"the temporary Prefect server did not answer within {STARTUP_TIMEOUT:.0f} s "
                           "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
