"""The local Dask cluster of `--dask local`: its workers start with the pipeline loaded and warm."""

import sys

import pytest

from pipeline.config import PipelineConfig


def _worker_state(dask_worker) -> dict:
    from pipeline.stages import counts

    return {"prefect_task_engine": "prefect.task_engine" in sys.modules,
            "count_regex_built": counts._re_count.cache_info().currsize > 0,
            "profiler": "profile" in dask_worker.periodic_callbacks}


@pytest.mark.slow
@pytest.mark.issue(6)
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_local_cluster_workers_start_with_prefect_loaded_and_stages_warm(monkeypatch, method):
    """Forked workers (Linux) inherit the warm state; spawned ones (macOS, Windows) load it before the first task.
    Neither runs Dask's statistical profiler (it interrupts the batch every 10 ms)."""
    from distributed import Client

    from pipeline import cluster

    if method == "fork" and not sys.platform.startswith("linux"):
        pytest.skip("workers are forked on Linux only")
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
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_local_cluster_workers_drop_only_the_teardown_heartbeat_error(monkeypatch, method):
    """The heartbeat error a worker may log while the cluster closes (dask/distributed#7105) is not shown; others are."""
    from distributed import Client

    from pipeline import cluster

    if method == "fork" and not sys.platform.startswith("linux"):
        pytest.skip("workers are forked on Linux only")
    monkeypatch.setattr(cluster, "start_method", lambda: method)
    messages = ["Failed to communicate with scheduler during heartbeat.", "Worker stream died during communication"]
    with cluster.local_cluster(1, PipelineConfig()) as local, Client(local) as client:
        passed = client.run(_worker_log_passes, messages)
    assert list(passed.values()) == [["Worker stream died during communication"]]


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
