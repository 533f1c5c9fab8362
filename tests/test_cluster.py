"""The local Dask cluster of `--dask local`: its workers start with the pipeline loaded and warm."""

import sys
import threading

import pytest

from pipeline.config import PipelineConfig


def _worker_state(dask_worker) -> dict:
    from pipeline.stages import counts

    return {"prefect_task_engine": "prefect.task_engine" in sys.modules,
            "count_regex_built": counts._re_count.cache_info().currsize > 0,
            "profiler": "profile" in dask_worker.periodic_callbacks}


@pytest.mark.slow
@pytest.mark.issue(6)
@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_local_cluster_workers_start_with_prefect_loaded_and_stages_warm(monkeypatch, method):
    """Workers forked by the fork server (Linux) inherit its warm state; spawned ones (macOS, Windows) load it
    before the first task. Neither runs Dask's statistical profiler (it interrupts the batch every 10 ms)."""
    import multiprocessing

    from distributed import Client

    from pipeline import cluster

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} on this platform")
    monkeypatch.setattr(cluster, "start_method", lambda: method)
    with cluster.local_cluster(2, PipelineConfig(), "prefect.task_engine") as local, Client(local) as client:
        states = client.run(_worker_state)
    assert len(states) == 2
    assert all(state == {"prefect_task_engine": True, "count_regex_built": True, "profiler": False}
               for state in states.values()), states


def _worker_log_passes(messages: list[str]) -> list[str]:
    """The messages a worker's distributed.worker logger lets through to a handler, logged at ERROR."""
    import logging

    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())
    log = logging.getLogger("distributed.worker")
    log.addHandler(handler)
    try:
        for message in messages:
            log.error(message)
    finally:
        log.removeHandler(handler)
    return seen


@pytest.mark.slow
@pytest.mark.issue(6)
@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_local_cluster_workers_drop_only_the_teardown_heartbeat_error(monkeypatch, method):
    """The heartbeat error a worker may log while the cluster closes (dask/distributed#7105) is not shown; others are."""
    import multiprocessing

    from distributed import Client

    from pipeline import cluster

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} on this platform")
    monkeypatch.setattr(cluster, "start_method", lambda: method)
    messages = ["Failed to communicate with scheduler during heartbeat.", "Worker stream died during communication"]
    with cluster.local_cluster(1, PipelineConfig()) as local, Client(local) as client:
        passed = client.run(_worker_log_passes, messages)
    assert list(passed.values()) == [["Worker stream died during communication"]]


#: A lock of this module; a worker forked from a process in which it is held inherits it held.
_HELD = threading.Lock()


def _acquire_held() -> bool:
    acquired = _HELD.acquire(timeout=10)
    if acquired:
        _HELD.release()
    return acquired


@pytest.mark.slow
@pytest.mark.issue(6)
def test_workers_do_not_inherit_a_lock_another_thread_of_this_process_holds():
    """A worker forked from this process while one of its threads held a lock waited for that lock forever (a
    CI run hung for 80 minutes in this file: Dask's event loop, Arrow's pool and others run here while workers
    start). The workers come from a fork server that never ran this process's threads: their lock is free."""
    from distributed import Client

    from pipeline import cluster

    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        with _HELD:
            taken.set()
            done.wait(60)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    taken.wait(10)
    try:
        with cluster.local_cluster(1, PipelineConfig()) as local, Client(local) as client:
            acquired = client.submit(_acquire_held, pure=False).result(timeout=60)
    finally:
        done.set()
        holder.join(10)
    assert acquired


_SLOW_START = """
import sys
from pipeline.cluster import ClusterStartError, local_cluster
from pipeline.config import PipelineConfig

try:
    with local_cluster(1, PipelineConfig(), "dj_slow_start", start_timeout=2):
        print("started")
except ClusterStartError as error:
    print(error)
"""


@pytest.mark.slow
@pytest.mark.issue(6)
def test_a_worker_that_does_not_start_fails_the_cluster_clearly(tmp_path):
    """A worker that cannot start in time ends the cluster's start with a message, not with a run that waits
    forever (here the fork server, in a fresh process, spends 8 s importing a preloaded module)."""
    import multiprocessing
    import os
    import subprocess

    from tests.conftest import ROOT

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform")
    (tmp_path / "dj_slow_start.py").write_text("import time\ntime.sleep(8)\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    done = subprocess.run([sys.executable, "-c", _SLOW_START], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.startswith("the local Dask cluster did not start: 1 worker(s), forkserver, at most 2 s each"), (
        done.stdout, done.stderr[-2000:])


def test_the_fork_servers_warm_up_reports_a_failure_and_leaves_the_workers_cold():
    """pipeline.forkserver is imported by the fork server only (it finds the run's config in the environment); a
    warm-up that fails says so on stderr and lets the server go on forking workers, which load on first use."""
    import os
    import subprocess

    from pipeline.cluster import CONFIG_ENV, FORKSERVER_MODULE
    from tests.conftest import ROOT

    quiet = subprocess.run([sys.executable, "-c", f"import {FORKSERVER_MODULE}, sys; print('pipeline.process' in sys.modules)"],
                           cwd=ROOT, capture_output=True, text=True, check=True)
    assert (quiet.stdout, quiet.stderr) == ("False\n", "")
    broken = subprocess.run([sys.executable, "-c", f"import {FORKSERVER_MODULE}"], cwd=ROOT, capture_output=True,
                            text=True, check=True, env={**os.environ, CONFIG_ENV: '{"batch_size": 0}'})
    assert "the Dask workers' fork server could not warm the stages" in broken.stderr
    assert "batch_size" in broken.stderr


_FIRST_BATCH = """
import sys
from pathlib import Path
from pipeline.config import PipelineConfig
from pipeline.dataset import encode_batch
from pipeline.process import process_paths, warm_up
from pipeline.stages.ingest import discover_inputs, plan_batches

config = PipelineConfig(cache=False)
warm_up(config)
before = set(sys.modules)
root = Path(sys.argv[1])
for units in plan_batches(root, discover_inputs(root), config.batch_size):
    encode_batch(process_paths(root, units, config))
print("\\n".join(sorted(set(sys.modules) - before)))
"""


@pytest.mark.slow
@pytest.mark.issue(6)
def test_warm_up_leaves_nothing_to_load_for_the_first_batch():
    """After warm_up a batch of the seeds (traditional pages among them) and its Arrow encoding import no
    module but the codecs its inputs need: a worker's first batch runs at full speed."""
    import subprocess

    from tests.conftest import ROOT, SEEDS

    done = subprocess.run([sys.executable, "-c", _FIRST_BATCH, str(SEEDS)], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    loaded = [name for name in done.stdout.split() if not name.startswith("encodings.")]
    assert loaded == []
