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
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_local_cluster_workers_start_with_prefect_loaded_and_stages_warm():
    from distributed import Client

    from pipeline.cluster import local_cluster

    with local_cluster(2, PipelineConfig(), "prefect.task_engine") as cluster, Client(cluster) as client:
        states = client.run(_worker_state)
    assert len(states) == 2
    assert all(state == {"prefect_task_engine": True, "count_regex_built": True} for state in states.values()), states
