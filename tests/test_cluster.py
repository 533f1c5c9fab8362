"""The local Dask cluster of `--dask local`: its workers start with the pipeline loaded and warm."""

import sys

import pytest

from pipeline.config import PipelineConfig


def _worker_state() -> dict:
    from pipeline.stages import counts

    return {"prefect_task_engine": "prefect.task_engine" in sys.modules,
            "count_regex_built": counts._re_count.cache_info().currsize > 0}


@pytest.mark.slow
@pytest.mark.issue(6)
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_local_cluster_workers_start_with_prefect_loaded_and_stages_warm(monkeypatch, method):
    """Forked workers (Linux) inherit the warm state; spawned ones (macOS, Windows) load it before the first task."""
    from distributed import Client

    from pipeline import cluster

    if method == "fork" and not sys.platform.startswith("linux"):
        pytest.skip("workers are forked on Linux only")
    monkeypatch.setattr(cluster, "start_method", lambda: method)
    with cluster.local_cluster(2, PipelineConfig(), "prefect.task_engine") as local, Client(local) as client:
        states = client.run(_worker_state)
    assert len(states) == 2
    assert all(state == {"prefect_task_engine": True, "count_regex_built": True} for state in states.values()), states
