"""A local Dask cluster whose workers start warm (the flow's `--dask local`, and the benchmark's baseline).

Dask starts worker processes with ``spawn`` by default: every worker is a fresh
interpreter that imports distributed, the pipeline and, under the flow, Prefect's
task engine (~1.3 s), then loads the stages' lexicons and dictionaries (~1 s).
Where the platform has it (Linux), the workers here come from a fork server
instead: one fresh, single-threaded interpreter that imports those modules and
warms the stages once (pipeline.forkserver), then forks each worker from that
state (shared copy-on-write). The cluster is warm without a worker loading
anything, and no fork ever happens in a process with other threads at work.

Workers were once forked from this process itself, in Dask's process-watcher
thread. That hung a CI run for 80 minutes: a child forked while another thread
holds a lock (an import's, a library's) waits for it forever, and this process
has Dask's event loop, Arrow's pool and more running at that moment. It is why
Python 3.14 made the fork server Linux's default. Elsewhere (macOS, Windows)
workers are spawned and warmed each before the first task.
"""

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Iterator

from pipeline.config import PipelineConfig

#: Modules a worker needs (the fork server loads them before its first fork; a spawned worker before its first task).
WORKER_MODULES = ("pipeline.process", "pipeline.dataset")

#: What a Dask worker of the flow loads when it unpickles its first task run (~1.6 s of imports; the flow's
#: module comes with the run's context): the fork server loads them before the flow starts (pipeline.flows).
FLOW_WORKER_MODULES = ("prefect.task_engine", "prefect_dask.client", "pipeline.flows")

#: The module the fork server imports last: it warms the stages (pipeline.forkserver).
FORKSERVER_MODULE = "pipeline.forkserver"

#: How the fork server learns the run's PipelineConfig (JSON): it inherits this process's environment.
CONFIG_ENV = "DANGJIAN_WORKER_CONFIG"

#: Seconds a worker may take to start (fork, or spawn and import) and reach the scheduler. The first worker
#: from a fork server also waits for it to boot and warm (~3 s; more on a busy machine). Past it the run
#: fails with ClusterStartError instead of waiting for a worker that will never come.
WORKER_START_TIMEOUT = 180.0

#: What a worker logs, with a traceback, when its last heartbeat meets the closing scheduler
#: (a known race of LocalCluster's shutdown, dask/distributed#7105).
HEARTBEAT_FAILURE = "Failed to communicate with scheduler during heartbeat"


class ClusterStartError(RuntimeError):
    """The local cluster's workers did not start."""


class _NoHeartbeatFailure(logging.Filter):
    """Drops HEARTBEAT_FAILURE. The scheduler of a local cluster lives in the flow's own process: when a
    worker cannot reach it, that process is closing the cluster (or gone, and the run failed already)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(HEARTBEAT_FAILURE))


def quiet_teardown() -> None:
    """Install _NoHeartbeatFailure on the worker's logger (in this process; workers forked from it inherit it)."""
    worker_log = logging.getLogger("distributed.worker")
    if not any(isinstance(f, _NoHeartbeatFailure) for f in worker_log.filters):
        worker_log.addFilter(_NoHeartbeatFailure())


def start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def warm(config: PipelineConfig, modules: tuple[str, ...] = ()) -> None:
    """Import modules and load what the stages load on first use (pipeline.process.warm_up)."""
    import importlib

    from pipeline import process

    for name in (*WORKER_MODULES, *modules):
        importlib.import_module(name)
    process.warm_up(config)


@contextlib.contextmanager
def local_cluster(n_workers: int, config: PipelineConfig, *preload: str,
                  start_timeout: float = WORKER_START_TIMEOUT) -> Iterator:
    """A LocalCluster of n_workers single-threaded worker processes, warm when it is yielded.

    preload: more modules the workers will need (e.g. Prefect's task engine). The fork server loads
    them and warms the stages before it forks the workers (start_forkserver); spawned ones load them
    each, before the first task. start_timeout: seconds a worker may take to start (ClusterStartError).
    """
    import dask
    from distributed import Client, LocalCluster

    method = start_method()
    # no statistical profiler in the workers: every 10 ms it takes the GIL from the batch to walk its stack
    # (for the dashboard's profile page, which this cluster does not serve)
    with dask.config.set({"distributed.worker.multiprocessing-method": method,
                          "distributed.worker.profile.enabled": False}):
        if method == "forkserver":
            start_forkserver(config, preload)
        try:
            # env: the workers see this process's environment as it is now (PREFECT_API_URL among it), not
            # as it was when the fork server started
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.CRITICAL, death_timeout=start_timeout, env=dict(os.environ))
        except Exception as error:  # a timeout shows as Dask's bare AssertionError(<Status.starting>)
            raise ClusterStartError(f"the local Dask cluster did not start: {n_workers} worker(s), {method}, "
                                    f"at most {start_timeout:g} s each ({type(error).__name__}: {error})") from error
        with cluster:
            if method != "forkserver":
                with Client(cluster) as client:
                    client.run(warm, config, preload)
                    client.run(quiet_teardown)
            yield cluster


def start_forkserver(config: PipelineConfig, preload: tuple[str, ...] = ()) -> None:
    """Start the workers' fork server now, where the platform has one: it boots and warms in the background
    (~3 s of its own) while this process goes on (the command line starts it with the API server).

    Its preload list is set once, here: Dask sets one on its first call of get_mp_context (distributed and
    the packages it knows) and is not asked again; this list replaces it with distributed, the pipeline's
    modules and FORKSERVER_MODULE. The config goes by the environment, which the server inherits. A server
    already running in this process (an earlier cluster's) is kept as it is.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    import dask
    from distributed.utils import get_mp_context
    from multiprocessing import forkserver

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        get_mp_context().set_forkserver_preload(["distributed", *WORKER_MODULES, *preload, FORKSERVER_MODULE])
    previous = os.environ.get(CONFIG_ENV)
    os.environ[CONFIG_ENV] = config.model_dump_json()
    try:
        forkserver.ensure_running()
    finally:
        if previous is None:
            del os.environ[CONFIG_ENV]
        else:
            os.environ[CONFIG_ENV] = previous
