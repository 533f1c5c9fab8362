"""A local Dask cluster whose workers start warm (the flow's `--dask local`, and the benchmark's baseline).

Dask starts worker processes with ``spawn`` by default: every worker is a fresh
interpreter that imports distributed, the pipeline and, under the flow, Prefect's
task engine (~1.3 s), then loads the stages' lexicons and dictionaries (~1 s).
On Linux the workers here are forked from this process instead, after it has
imported those modules and warmed the stages once: they start with all of it
in place (shared copy-on-write) and the cluster is ready in a fraction of the
time. Prefect resets its background services in a forked child
(``os.register_at_fork``); the fork happens in Dask's process-watcher thread,
with no Prefect run active in this process yet. Elsewhere (macOS, Windows)
fork is unsafe or missing and workers are spawned as before.
"""

import contextlib
import gc
import logging
import sys
from collections.abc import Iterator

from pipeline.config import PipelineConfig

#: Modules a worker needs that this process may not have loaded yet (loaded before the fork).
WORKER_MODULES = ("pipeline.process", "pipeline.dataset")

#: What a worker logs, with a traceback, when its last heartbeat meets the closing scheduler
#: (a known race of LocalCluster's shutdown, dask/distributed#7105).
HEARTBEAT_FAILURE = "Failed to communicate with scheduler during heartbeat"


class _NoHeartbeatFailure(logging.Filter):
    """Drops HEARTBEAT_FAILURE. The scheduler of a local cluster lives in the flow's own process: when a
    worker cannot reach it, that process is closing the cluster (or gone, and the run failed already)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(HEARTBEAT_FAILURE))


def quiet_teardown() -> None:
    """Install _NoHeartbeatFailure on the worker's logger (in this process; forked workers inherit it)."""
    worker_log = logging.getLogger("distributed.worker")
    if not any(isinstance(f, _NoHeartbeatFailure) for f in worker_log.filters):
        worker_log.addFilter(_NoHeartbeatFailure())


def start_method() -> str:
    return "fork" if sys.platform.startswith("linux") else "spawn"


def warm(config: PipelineConfig, modules: tuple[str, ...] = ()) -> None:
    """Import modules and load what the stages load on first use (pipeline.process.warm_up)."""
    import importlib

    from pipeline import process

    for name in (*WORKER_MODULES, *modules):
        importlib.import_module(name)
    process.warm_up(config)


@contextlib.contextmanager
def local_cluster(n_workers: int, config: PipelineConfig, *preload: str) -> Iterator:
    """A LocalCluster of n_workers single-threaded worker processes, warm when it is yielded.

    preload: more modules the workers will need (e.g. Prefect's task engine). Forked workers get
    them and the warm stages from this process; spawned ones load them each, before the first task.
    """
    import dask
    from distributed import Client, LocalCluster

    method = start_method()
    if method == "fork":
        warm(config, preload)  # once, here: the forked workers inherit the modules, lexicons and dictionaries
        quiet_teardown()
    # no statistical profiler in the workers: every 10 ms it takes the GIL from the batch to walk its stack
    # (for the dashboard's profile page, which this cluster does not serve)
    with dask.config.set({"distributed.worker.multiprocessing-method": method,
                          "distributed.worker.profile.enabled": False}):
        with _frozen_heap(method == "fork"):  # the workers start (are forked) here
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.CRITICAL)
        with cluster:
            if method != "fork":
                with Client(cluster) as client:
                    client.run(warm, config, preload)
                    client.run(quiet_teardown)
            yield cluster


@contextlib.contextmanager
def _frozen_heap(enabled: bool) -> Iterator[None]:
    """While the workers are forked, this process's objects are out of the garbage collector's sight.

    What a forked worker inherits is never garbage, and a collector that does not walk it does not copy
    its pages (the lexicons, the dictionaries): on 10k stories the plain run took 17.8 s instead of 18.5 s
    (medians of 6 interleaved runs). This process is thawed once the workers are up (only they keep the
    frozen generation), so the caller's own collection is as before.
    """
    if not enabled:
        yield
        return
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
