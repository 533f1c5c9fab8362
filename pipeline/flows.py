"""The Prefect flow: one task per batch (ingest -> clean -> extract), streamed into one dataset version.

Batches run as chained task futures, at most ``window`` batches in flight, and
their results are written in input order as they complete, so memory stays flat
and output is deterministic whatever the task runner: threads by default, Dask
(`--dask local` or `--dask tcp://host:8786`) to scale out.
"""

import contextlib
import copy
import importlib
import logging
import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from pipeline import vega
from pipeline.config import LOCAL_WORKERS, PipelineConfig
from pipeline.dataset import DatasetLock, DatasetWriter, read_latest, remove_leftovers
from pipeline.errors import RunError
from pipeline.fingerprint import inputs_fingerprint, pipeline_fingerprint
from pipeline.package import finalize_version
from pipeline.reuse import IndexBuild
from pipeline.runs import changed_since_latest, known_changed, summarize, unchanged_summary, unchanged_version
from pipeline.stages.ingest import discover_inputs, plan_batches
from pipeline.tasks import process_batch

FLOW_NAME = "dangjian-extract"
#: What Prefect loads only once a flow run starts: its flow engine, and FastAPI's jsonable_encoder, which
#: Flow.serialize_parameters imports for the run's parameters (all of FastAPI: ~0.2 s). run_flow loads
#: them while the API server boots, instead of between the server answering and the first batch.
FLOW_RUN_MODULES = ("prefect.flow_engine", "fastapi.encoders")
#: Seconds to wait for a Dask scheduler given by address to answer.
SCHEDULER_TIMEOUT = 10


@flow(name=FLOW_NAME, log_prints=False)
def extract_flow(input_dir: str = "seeds", output_dir: str = "data", config: PipelineConfig | None = None) -> dict:
    """Run the pipeline over every input under input_dir and write a new version under output_dir."""
    config = config or PipelineConfig()
    logger = get_run_logger()
    root, out = Path(input_dir), Path(output_dir)
    paths = discover_inputs(root)
    logger.info("%d input files under %s", len(paths), root)
    with DatasetLock(out, timeout=config.lock_timeout):
        for name in remove_leftovers(out):
            logger.warning("removed leftover staging dir %s of an interrupted run", name)
        previous = read_latest(out)
        pipeline_fp = pipeline_fingerprint(config)
        with IndexBuild(out, previous, pipeline_fp, enabled=config.cache) as index_build, \
                ThreadPoolExecutor(1, thread_name_prefix="dangjian-inputs-hash") as hasher:
            # the inputs' hash is needed first only to find an unchanged corpus; otherwise (no cache, or
            # run_flow has just found it changed) it is made beside the batches, for the manifest
            inputs_fp = hasher.submit(inputs_fingerprint, root, paths)
            unchanged = unchanged_version(out, previous, (pipeline_fp, inputs_fp.result())) \
                if config.cache and not known_changed(input_dir, output_dir) else None
            if unchanged is not None:
                logger.info("inputs and pipeline unchanged since %s: nothing to do", unchanged.version_id)
                summary = summarize(unchanged, out, is_new=False)
                _publish(summary, None)
                return summary
            from pipeline.report import preload_in_background

            # the report's libraries load once the batches are in flight (where run_flow started it, it
            # loaded what it could while the API server booted): until then this process has work of its own
            preload = preload_in_background(paused=True)
            preload.pause()
            with DatasetWriter(out, root, config, (pipeline_fp, "")) as writer:
                n_reused = 0
                # the batches go while the index is built: a worker waits for it only to process a batch
                for batch, cached in _run_batches(root, paths, config, index_build.path):
                    preload.resume()
                    vega.start_helper()  # the plots' renderer boots (the preload started it in a run's first flow)
                    n_reused += 0 if cached else batch.reused  # a cached result counts what its first run reused
                    writer.add(batch)
                if index_build.result():
                    logger.info("%d unchanged articles took their rows from version %s", n_reused, previous)
                elif index_build.error:
                    logger.warning("no rows reused: indexing version %s failed: %s", previous, index_build.error)
                preload.join()
                writer.fingerprints = (pipeline_fp, inputs_fp.result())
                manifest, is_new = writer.commit(finalize=finalize_version)
    summary = summarize(manifest, out, is_new, n_reused)
    logger.info("version %s: %s", summary["version_id"], summary["rows"])
    _publish(summary, out / previous if previous and previous != manifest.version_id else None)
    return summary


def _run_batches(root: Path, paths: list[str], config: PipelineConfig, reuse: str | None = None):
    """(batch, cached) in input order, with a bounded number of batches in flight (reuse: pipeline.reuse's index)."""
    parts = batch_parts(config)
    # threads share the GIL: one batch in flight is fastest; Dask workers are processes, each
    # kept busy with a second batch queued behind the one it runs
    window = max(2, 2 * parts) if config.dask_address else 1
    pending: deque = deque()
    settings_once = SettingsSerializedOnce(live_settings=config.dask_address == "local")
    for chunk in plan_batches(root, paths, config.batch_size, parts):
        with settings_once:
            pending.append(process_batch.submit(str(root), chunk, config, reuse))
        if len(pending) >= window:
            yield _outcome(pending.popleft())
    while pending:
        yield _outcome(pending.popleft())


class SettingsSerializedOnce:
    """While entered, Prefect's SettingsContext.serialize answers a context it has serialized before from memory.

    For every task it submits to Dask, Prefect serializes the current context, and with it every setting
    of its 54 settings models (walked one by one for secrets: ~50 ms a task; ~0.15 s in the flow process
    once the workers keep both cores busy). Within a flow run they do not change: the same SettingsContext,
    holding the same Settings and Profile objects. On the 100k corpus that serializing was most of the
    flow process's work while the batches ran, and in a run whose batches come from the task cache it
    set the pace. The memo holds the context, settings and profile it serialized (so their ids cannot
    be reused) and gives a copy of the answer; any other context (temporary_settings makes a new one) is
    serialized as before, and it is undone on exit. Left out if Prefect's class no longer has the method.

    live_settings (the local cluster): the answer carries the Settings object itself, not its dump. A
    worker rebuilds the context with ``SettingsContext(**answer)``: from a dump, that is pydantic-settings
    validating the 54 models again and reading the environment (~70 ms idle, 0.15-0.25 s with both cores
    busy, before every task run's body); an instance is taken as it is, unpickled in under a millisecond.
    Only for the local cluster's workers: processes of this machine started from this one, with its
    environment and working directory, where both give the same settings. A worker elsewhere (a
    scheduler's address) gets the dump, as Prefect sends it: its platform's paths, its environment for
    what the flow's process left unset.
    """

    def __init__(self, live_settings: bool = False) -> None:
        self.live_settings = live_settings
        self.last: tuple | None = None  # (context, settings, profile, include_secrets, serialized)
        self._original = None

    def __enter__(self):
        from prefect.context import SettingsContext

        original = SettingsContext.__dict__.get("serialize")
        if not callable(original) or getattr(original, "_dangjian_memo", False):
            return self
        memo = self

        def serialize(context, include_secrets: bool = True) -> dict:
            last = memo.last
            if last is None or last[0] is not context or last[1] is not context.settings \
                    or last[2] is not context.profile or last[3] != include_secrets:
                last = memo.last = (context, context.settings, context.profile, include_secrets,
                                    original(context, include_secrets=include_secrets))
            if memo.live_settings and isinstance(last[4].get("settings"), dict):
                return {**copy.deepcopy({k: v for k, v in last[4].items() if k != "settings"}),
                        "settings": context.settings}
            return copy.deepcopy(last[4])  # ~0.3 ms: nobody downstream shares the memo's dict

        serialize._dangjian_memo = True
        self._original = original
        SettingsContext.serialize = serialize
        return self

    def __exit__(self, *exc) -> None:
        if self._original is not None:
            from prefect.context import SettingsContext

            SettingsContext.serialize = self._original
            self._original = None


def _outcome(future) -> tuple:
    """(batch, whether it came from the task cache) of a finished batch task."""
    batch = future.result()
    return batch, future.state.name == "Cached"


def batch_parts(config: PipelineConfig) -> int:
    """Workers the batches are shared among (a small corpus is cut into a multiple of it)."""
    if not config.dask_address:
        return 1
    return resolve_workers(config).dask_workers


def resolve_workers(config: PipelineConfig) -> PipelineConfig:
    """The config with dask_workers filled in: LOCAL_WORKERS for a local cluster, the worker threads
    a scheduler has right now for an address (at least 1: workers that join later still get
    batches, only the plan did not count them). Unchanged when set, or without Dask."""
    if not config.dask_address or config.dask_workers is not None:
        return config
    if config.dask_address == "local":
        return config.model_copy(update={"dask_workers": LOCAL_WORKERS})
    from distributed import Client

    try:
        with Client(config.dask_address, timeout=SCHEDULER_TIMEOUT) as client:
            threads = sum(client.nthreads().values())
    except ValueError as exc:  # not an address: "missing port number in address 'foo'"
        raise RunError(f"--dask takes 'local' or a scheduler address like tcp://HOST:8786, not "
                       f"{config.dask_address!r} ({exc})") from exc
    except OSError as exc:  # refused, unknown host, timed out
        raise RunError(f"no Dask scheduler answers at {config.dask_address} ({exc}); start one there "
                       "(`dask scheduler`) or run on a local cluster with --dask local") from exc
    return config.model_copy(update={"dask_workers": max(1, threads)})


def _publish(summary: dict, previous_dir: Path | None) -> None:
    """A Prefect markdown artifact: version, row counts, quarantine and the diff to the previous version."""
    from pipeline.diff import diff_versions, format_markdown

    rows = "\n".join(f"| {name} | {n} |" for name, n in summary["rows"].items())
    reasons = "\n".join(f"- {n} × {r}" for r, n in summary["quarantine_reasons"].items()) or "none"
    diff = "first version under this root, or unchanged" if previous_dir is None else format_markdown(
        diff_versions(previous_dir, Path(summary["path"])))
    create_markdown_artifact(
        key="dangjian-dataset",
        description=f"dataset version {summary['version_id']}",
        markdown=(f"## dangjian dataset `{summary['version_id']}`\n\n"
                  f"{'new version' if summary['new_version'] else 'unchanged'} at `{summary['path']}`: "
                  f"{summary['n_ok']} articles, {summary['n_quarantined']} inputs quarantined\n\n"
                  f"| table | rows |\n| --- | ---: |\n{rows}\n\n**Quarantined:** {reasons}\n\n{diff}\n"),
    )


def run_flow(input_dir: str, output_dir: str, config: PipelineConfig, server=None, check_unchanged: bool = True) -> dict:
    """Run the flow with the task runner the config asks for (threads, or Dask).

    An unchanged corpus (same inputs, same pipeline as the version LATEST points at)
    needs no work at all: no Prefect server, no cluster, just the confirmation
    (check_unchanged=False: the caller has checked, pipeline.runs.unchanged_summary).
    Without PREFECT_API_URL a temporary server is used for the run (server: one the
    caller already started, pipeline.prefect_server.TemporaryServer); a local Dask
    cluster starts and warms up while that server boots.
    """
    unchanged = unchanged_summary(input_dir, output_dir, config) if check_unchanged else None
    if unchanged is not None:
        return unchanged  # a server the caller started is the caller's to stop
    from pipeline.report import preload_in_background

    config = resolve_workers(config)  # recorded in the manifest as planned
    with _api_server(server) as server_ready, contextlib.ExitStack() as stack:
        runner = _dask_runner(config, stack) if config.dask_address else None
        for name in FLOW_RUN_MODULES:  # before the preload thread starts: no two threads importing at once
            importlib.import_module(name)
        if server_ready is not None:
            # the report's libraries load while the API server finishes booting (the cluster's workers are
            # up by now, forked by their own fork server: pipeline.cluster); paused when it answers
            preload = preload_in_background()
            stack.callback(preload.join)  # also when the flow ends early (unchanged corpus, error)
            server_ready()
            preload.pause()
        flow_fn = extract_flow.with_options(task_runner=runner) if runner is not None else extract_flow
        with changed_since_latest(input_dir, output_dir):  # checked above, or by the caller
            return flow_fn(input_dir=input_dir, output_dir=output_dir, config=config)


def _dask_runner(config: PipelineConfig, stack: contextlib.ExitStack):
    from prefect_dask import DaskTaskRunner

    # Dask narrates cluster start and stop at INFO, and a worker's closing comm as a traceback
    # at teardown; neither is news to a user. Errors still show.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    logging.getLogger("distributed").setLevel(logging.ERROR)
    if config.dask_address != "local":
        return DaskTaskRunner(address=config.dask_address)
    from pipeline.cluster import FLOW_WORKER_MODULES, local_cluster

    # started and warmed while the API server boots
    cluster = stack.enter_context(local_cluster(config.dask_workers, config, *FLOW_WORKER_MODULES))
    return DaskTaskRunner(address=cluster.scheduler_address)


@contextlib.contextmanager
def _api_server(server=None):
    """A Prefect API for the flow and its Dask workers; yields a function that waits until it answers
    (None for a server the user configured: it is up).

    PREFECT_API_URL set: that server. Otherwise one temporary server of our own (server, when
    the caller started it earlier), started at once (its boot overlaps the cluster's) and
    stopped at the end. Prefect would start one per process without an API URL: each Dask
    worker would pay that start-up and record its task runs apart.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from pipeline.prefect_server import TemporaryServer

    configured = os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()
    if configured:
        if server is not None:  # started before Prefect's settings (a profile) were read: not needed
            server.stop()
        if os.environ.get("PREFECT_API_URL"):
            yield None  # the workers inherit its address
            return
        os.environ["PREFECT_API_URL"] = configured  # in Prefect's settings only (a profile, a test harness): hand it on
        try:
            yield None
        finally:
            del os.environ["PREFECT_API_URL"]
        return
    server = server or TemporaryServer()
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url  # inherited by the worker processes the cluster starts
    updates = {PREFECT_API_URL: server.api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    ca_file = _unused_ca_file() if "PREFECT_API_SSL_CERT_FILE" not in os.environ else None
    if ca_file:
        from prefect.settings import PREFECT_API_SSL_CERT_FILE

        os.environ["PREFECT_API_SSL_CERT_FILE"] = updates[PREFECT_API_SSL_CERT_FILE] = ca_file
    try:
        # No flow-run heartbeats: they let a lasting server mark a crashed run, but this server ends
        # with the run, and stopping the heartbeat thread costs up to 1 s at the end of every run.
        with temporary_settings(updates=updates):
            yield server.wait
            from prefect.events.worker import EventsWorker
            from prefect.logging.handlers import APILogWorker

            # logs and events reach the server before it stops; a drain that finds items still queued
            # says so at WARNING ("Still processing items"): it is this wait, not news to the user
            with _quiet("APILogWorker", "EventsWorker"):
                APILogWorker.drain_all(timeout=10)
                EventsWorker.drain_all(timeout=10)
    finally:
        del os.environ["PREFECT_API_URL"]
        if ca_file:
            del os.environ["PREFECT_API_SSL_CERT_FILE"]
        server.stop()


def _unused_ca_file() -> str | None:
    """A CA file of one certificate, for the SSL context that Prefect builds with every API client.

    Prefect makes a client (with its own SSL context) several times a task run, and loads certifi's
    whole bundle (~140 certificates, 17 ms) into each, even for a plain-http server. Our temporary
    server is http://127.0.0.1: the context is never used, so one certificate will do (0.3 ms).
    Only for that server; a server the user configures keeps Prefect's verification as set.
    None when certifi has no file.
    """
    import tempfile

    try:
        import certifi

        bundle = Path(certifi.where()).read_text(encoding="ascii")
        end = "-----END CERTIFICATE-----\n"
        first = bundle[bundle.index("-----BEGIN CERTIFICATE-----"):bundle.index(end) + len(end)]
        path = Path(tempfile.gettempdir()) / f"dangjian-unused-ca-{os.getuid()}.pem"
        if not path.exists() or path.read_text(encoding="ascii") != first:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(first, encoding="ascii")
            os.replace(tmp, path)
        return str(path)
    except (OSError, ValueError, ImportError):
        return None


@contextlib.contextmanager
def _quiet(*loggers: str):
    """Only errors from these loggers for the duration."""
    saved = [(log, log.level) for log in map(logging.getLogger, loggers)]
    for log, _ in saved:
        log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for log, level in saved:
            log.setLevel(level)
