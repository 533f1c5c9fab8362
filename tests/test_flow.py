"""The Prefect flow through the CLI, under one test harness: same dataset as the plain run."""

import json
import uuid

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
    summary = json.loads(result.stdout)  # the summary alone on stdout; logs go to stderr
    assert summary["version_id"] == manifest.version_id
    assert summary["rows"] == {name: t.rows for name, t in manifest.tables.items()}
    assert (tmp_path / "LATEST").read_text().strip() == manifest.version_id


def test_run_rejects_missing_input(tmp_path):
    result = CliRunner().invoke(main, ["run", "--input", str(tmp_path / "nope"), "--output", str(tmp_path)])
    assert result.exit_code == 1 and "does not exist" in result.output


@pytest.mark.slow
def test_dask_two_workers_give_the_same_dataset(prefect_harness, tmp_path, seed_run):
    from pipeline.config import PipelineConfig
    from pipeline.flows import run_flow

    _vdir, manifest = seed_run
    config = PipelineConfig(dask_address="local", dask_workers=2, batch_size=2, cache=False)
    summary = run_flow(str(SEEDS), str(tmp_path), config)
    assert summary["version_id"] == manifest.version_id
    assert summary["rows"] == {name: t.rows for name, t in manifest.tables.items()}


@pytest.mark.slow
@pytest.mark.issue(6)
def test_a_scheduler_address_shares_the_batches_among_all_its_workers(prefect_harness, tmp_path, seed_run,
                                                                         monkeypatch):
    """--dask tcp://…: batches are planned for the worker threads the scheduler has (not a default of 2),
    --workers overrides it, and the dataset is the plain run's."""
    from distributed import LocalCluster

    from pipeline import flows
    from pipeline.config import PipelineConfig
    from pipeline.flows import resolve_workers, run_flow

    planned = []
    real_plan = flows.plan_batches
    monkeypatch.setattr(flows, "plan_batches", lambda *a: planned.append(a[3]) or real_plan(*a))
    _vdir, manifest = seed_run
    with LocalCluster(n_workers=3, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        config = PipelineConfig(dask_address=cluster.scheduler_address, batch_size=2, cache=False)
        assert resolve_workers(config).dask_workers == 3
        assert resolve_workers(config.model_copy(update={"dask_workers": 5})).dask_workers == 5
        summary = run_flow(str(SEEDS), str(tmp_path), config)
    assert planned == [3]
    assert summary["version_id"] == manifest.version_id
    recorded = json.loads((tmp_path / summary["version_id"] / "manifest.json").read_text(encoding="utf-8"))
    assert recorded["config"]["dask_workers"] == 3
    assert resolve_workers(PipelineConfig(dask_address="local")).dask_workers == 2
    assert resolve_workers(PipelineConfig()).dask_workers is None


@pytest.mark.slow
def test_unchanged_corpus_is_not_processed_again(prefect_harness, tmp_path, monkeypatch):
    import shutil

    from pipeline import process
    from pipeline.config import PipelineConfig
    from pipeline.flows import run_flow

    corpus = tmp_path / "in"
    shutil.copytree(SEEDS, corpus)
    config = PipelineConfig(batch_size=1)
    first = run_flow(str(corpus), str(tmp_path / "out"), config)
    calls = []
    real = process.extract_batch
    monkeypatch.setattr(process, "extract_batch", lambda cleaned, cfg: calls.append(1) or real(cleaned, cfg))
    again = run_flow(str(corpus), str(tmp_path / "out"), config)
    assert again["version_id"] == first["version_id"] and not again["new_version"] and calls == []
    # one article changes: only its batch is processed again, the other four come from the task cache
    path = corpus / "002_3a19eccab1853679.txt"
    marker = uuid.uuid4().hex  # new bytes every session: the task cache outlives test sessions
    path.write_text(path.read_text(encoding="utf-8") + f"\n全区新建12个党群服务中心。{marker}\n", encoding="utf-8")
    changed = run_flow(str(corpus), str(tmp_path / "out"), config)
    assert changed["new_version"] and changed["rows"]["counts"] == first["rows"]["counts"] + 1
    assert len(calls) == 1


@pytest.mark.slow
@pytest.mark.issue(6)
def test_the_inputs_are_hashed_beside_the_batches_once_the_run_knows_they_changed(prefect_harness, tmp_path,
                                                                                  monkeypatch):
    """run_flow has found the corpus changed (or the caller has): the flow starts its batches without
    waiting for the inputs' hash, which the manifest still records. The flow started alone (a
    deployment) still confirms an unchanged corpus first, and does no work."""
    import shutil

    from pipeline import flows, process
    from pipeline.config import PipelineConfig
    from pipeline.fingerprint import inputs_fingerprint
    from pipeline.stages.ingest import discover_inputs

    corpus, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SEEDS, corpus)
    config = PipelineConfig(batch_size=2, cache=True)
    events = []
    real_hash, real_check, real_batch = flows.inputs_fingerprint, flows.unchanged_version, process.extract_batch
    monkeypatch.setattr(flows, "inputs_fingerprint", lambda *a: events.append("hash") or real_hash(*a))
    monkeypatch.setattr(flows, "unchanged_version", lambda *a: events.append("check") or real_check(*a))
    monkeypatch.setattr(process, "extract_batch", lambda *a: events.append("batch") or real_batch(*a))
    first = flows.run_flow(str(corpus), str(out), config)
    assert first["new_version"] and "check" not in events and events.count("hash") == 1
    recorded = json.loads((out / first["version_id"] / "manifest.json").read_text(encoding="utf-8"))
    assert recorded["inputs_fingerprint"] == inputs_fingerprint(corpus, discover_inputs(corpus))
    events.clear()
    again = flows.extract_flow(input_dir=str(corpus), output_dir=str(out), config=config)  # as a deployment runs it
    assert again["version_id"] == first["version_id"] and not again["new_version"]
    assert events == ["hash", "check"]


@pytest.mark.issue(6)
def test_rerun_on_an_unchanged_corpus_loads_neither_pyarrow_nor_prefect(tmp_path):
    """The command's first step confirms an unchanged corpus from fingerprints alone: it must not pay
    for the writer's or Prefect's imports (pyarrow and numpy, prefect, httpx), a third of a rerun."""
    import re
    import subprocess
    import sys

    from pipeline.config import PipelineConfig
    from pipeline.dataset import DatasetLock, DatasetWriter
    from pipeline.fingerprint import inputs_fingerprint, pipeline_fingerprint
    from pipeline.package import finalize_version
    from pipeline.process import process_paths
    from pipeline.stages.ingest import discover_inputs, plan_batches
    from tests.conftest import ROOT

    config, paths = PipelineConfig(), discover_inputs(SEEDS)
    fingerprints = (pipeline_fingerprint(config), inputs_fingerprint(SEEDS, paths))
    with DatasetLock(tmp_path), DatasetWriter(tmp_path, SEEDS, config, fingerprints) as writer:
        for units in plan_batches(SEEDS, paths, config.batch_size):
            writer.add(process_paths(SEEDS, units, config))
        head, _new = writer.commit(finalize=finalize_version)
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipeline", "run", "--input", str(SEEDS),
                           "--output", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.splitlines()[0] == f"{head.version_id} (unchanged, same as existing version) at {tmp_path / head.version_id}"
    imported = set(re.findall(r"^import time:.*\| +([\w.]+)$", proc.stderr, re.MULTILINE))
    assert "pipeline.runs" in imported
    assert not imported & {"pyarrow", "numpy", "prefect", "httpx", "pandas", "duckdb"}


@pytest.mark.issue(6)
def test_a_cloned_dataset_root_is_confirmed_unchanged_from_its_manifest(tmp_path):
    """A clone or copy of a dataset root has no .runs (local, git-ignored): LATEST's manifest names the
    fingerprints of the run that wrote it, and they confirm the version; another input or another
    extraction setting does not."""
    import shutil

    from pipeline.config import PipelineConfig
    from pipeline.dataset import DatasetLock, DatasetWriter
    from pipeline.fingerprint import inputs_fingerprint, pipeline_fingerprint
    from pipeline.process import process_paths
    from pipeline.runs import unchanged_summary
    from pipeline.stages.ingest import discover_inputs, plan_batches

    corpus = tmp_path / "in"
    shutil.copytree(SEEDS, corpus)
    config, paths = PipelineConfig(), discover_inputs(corpus)
    fingerprints = (pipeline_fingerprint(config), inputs_fingerprint(corpus, paths))
    with DatasetLock(tmp_path / "data"), DatasetWriter(tmp_path / "data", corpus, config, fingerprints) as writer:
        for units in plan_batches(corpus, paths, config.batch_size):
            writer.add(process_paths(corpus, units, config))
        head, _new = writer.commit()
    assert (tmp_path / "data" / ".runs").is_dir()
    clone = tmp_path / "clone"
    shutil.copytree(tmp_path / "data", clone, ignore=shutil.ignore_patterns(".runs", ".lock"))
    summary = unchanged_summary(str(corpus), str(clone), PipelineConfig())
    assert summary is not None and summary["version_id"] == head.version_id and not summary["new_version"]
    assert unchanged_summary(str(corpus), str(clone), PipelineConfig(min_chinese_chars=11)) is None
    path = next(corpus.glob("*.txt"))
    path.write_text(path.read_text(encoding="utf-8") + "\n全区新建12个党群服务中心。\n", encoding="utf-8")
    assert unchanged_summary(str(corpus), str(clone), PipelineConfig()) is None


@pytest.mark.slow
@pytest.mark.issue(6)
def test_what_a_flow_run_imports_on_start_is_loaded_while_the_api_server_boots(tmp_path):
    """Prefect imports its flow engine and FastAPI's encoder (for the run's parameters, ~0.2 s) only when
    the flow run starts, after the server answers: the command loads them before it waits for the server."""
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "import json, sys\n"
        "import pipeline.prefect_server as ps\n"
        "from pipeline.flows import FLOW_RUN_MODULES\n"
        "seen = []\n"
        "wait = ps.TemporaryServer.wait\n"
        "def recording_wait(self):\n"
        "    seen.append({m: m in sys.modules for m in FLOW_RUN_MODULES})\n"
        "    return wait(self)\n"
        "ps.TemporaryServer.wait = recording_wait\n"
        "from pipeline.cli import main\n"
        f"main(['run', '--input', {str(SEEDS)!r}, '--output', {str(tmp_path)!r}, '--format', 'json'],"
        " standalone_mode=False)\n"
        "print(json.dumps(seen))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_URL")}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.splitlines()[-1])
    assert seen and seen[0] == {"prefect.flow_engine": True, "fastapi.encoders": True}


@pytest.mark.slow
@pytest.mark.issue(6)
@pytest.mark.parametrize("runner", [[], ["--dask", "local", "--workers", "2"]], ids=["threads", "dask"])
def test_cli_run_prints_only_prefect_info_logs_and_the_summary(tmp_path, seed_run, runner):
    """A clean run from the shell (temporary server; threads, or 2 Dask workers): no tracebacks,
    warnings or exit-time noise from any process (DuckDB's teardown once printed a wall of
    nanobind "leaked instance" lines), only Prefect's INFO log lines and the summary."""
    import os
    import re
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", "--input", str(SEEDS), "--output", str(tmp_path),
                           "--no-cache", *runner],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    log = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} \| INFO    \| ")
    noise = [line for line in proc.stderr.splitlines() if line.strip() and not log.match(line)]
    assert noise == [], "\n".join(noise[:20])
    _vdir, manifest = seed_run
    rows = ", ".join(f"{name} {t.rows}" for name, t in manifest.tables.items())
    assert proc.stdout.splitlines() == [f"{manifest.version_id} (new version) at {tmp_path / manifest.version_id}",
                                        f"rows: {rows}", "inputs: 5 processed, 0 quarantined"]


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_temporary_server_does_not_outlive_a_killed_run(tmp_path):
    """A run killed with SIGKILL (no cleanup runs) takes its temporary API server with it."""
    import os
    import signal
    import subprocess
    import sys
    import time

    code = ("from pipeline.prefect_server import TemporaryServer; import time; s = TemporaryServer(); s.start(); "
            "print(s.process.pid, flush=True); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    server_pid = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            return
        with open(f"/proc/{server_pid}/stat") as fh:  # a zombie waiting for init to reap it is gone too
            if fh.read().split(")")[-1].split()[0] == "Z":
                return
        time.sleep(0.2)
    os.kill(server_pid, signal.SIGKILL)
    pytest.fail("the temporary server outlived the run that started it")


@pytest.mark.slow
@pytest.mark.issue(6)
def test_a_scheduler_that_does_not_answer_is_a_clear_error(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", "--input", str(SEEDS), "--output", str(tmp_path),
                           "--dask", "tcp://127.0.0.1:1"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: no Dask scheduler answers at tcp://127.0.0.1:1 (") and "Traceback" not in proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == [".lock"]  # nothing written but the lock the unchanged check took


@pytest.mark.issue(6)
@pytest.mark.parametrize(("address", "remote"), [
    (None, False), ("local", False), ("tcp://127.0.0.1:8786", False), ("tcp://localhost:8786", False),
    ("tcp://[::1]:8786", False), ("tcp://scheduler:8786", True), ("10.0.0.5:8786", True), ("tls://dask.example.org:8786", True)])
def test_only_schedulers_on_other_hosts_are_warned_about_the_temporary_server(address, remote):
    """Workers elsewhere cannot reach a temporary server on 127.0.0.1: the command warns for those addresses only."""
    from pipeline.cli import remote_scheduler

    assert remote_scheduler(address) is remote


@pytest.mark.issue(6)
@pytest.mark.parametrize(("option", "message"), [
    (["--workers", "0"], "Invalid value for '--workers': 0 is not in the range x>=1."),
    (["--batch-size", "0"], "Invalid value for '--batch-size': 0 is not in the range x>=1."),
    (["--wait", "-1"], "Invalid value for '--wait': -1.0 is not in the range x>=0.")])
def test_run_options_out_of_range_are_usage_errors(tmp_path, option, message):
    result = CliRunner().invoke(main, ["run", "--input", str(SEEDS), "--output", str(tmp_path), *option])
    assert result.exit_code == 2 and result.output.splitlines()[-1] == f"Error: {message}"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.issue(6)
def test_a_dask_option_that_is_no_address_is_a_clear_error(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", "--input", str(SEEDS), "--output", str(tmp_path),
                           "--dask", "tcp://scheduler"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1] == ("Error: --dask takes 'local' or a scheduler address like tcp://HOST:8786, "
                                            "not 'tcp://scheduler' (missing port number in address 'scheduler')")


@pytest.mark.slow
@pytest.mark.issue(6)
def test_a_growing_corpus_is_processed_only_where_it_grew(prefect_harness, tmp_path, monkeypatch):
    """Batches of a large corpus are cut by content (pipeline.stages.ingest.plan_batches): new files, wherever
    they sort, make only the batches they fall into run again; the rest come from the task cache."""
    from pipeline import process
    from pipeline.config import PipelineConfig
    from pipeline.flows import run_flow

    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(160):
        (corpus / f"{i:04d}.txt").write_text(f"城关镇党委召开第{i}次会议,全镇{i + 3}个村党组织书记参加。" * (2 + i % 13),
                                            encoding="utf-8")
    config = PipelineConfig(batch_size=5)
    first = run_flow(str(corpus), str(tmp_path / "out"), config)
    calls = []
    real = process.extract_batch
    monkeypatch.setattr(process, "extract_batch", lambda cleaned, cfg: calls.append(1) or real(cleaned, cfg))
    marker = uuid.uuid4().hex  # new bytes every session: the task cache outlives test sessions
    for name in ("0080a.txt", "0160.txt", "0161.txt"):  # one in the middle, two after the others
        (corpus / name).write_text(f"城关镇新建党群服务中心,全镇12个村参加。{name} {marker}", encoding="utf-8")
    grown = run_flow(str(corpus), str(tmp_path / "out"), config)
    assert grown["new_version"] and grown["n_ok"] == first["n_ok"] + 3
    assert 1 <= len(calls) <= 4  # of 36 batches


@pytest.mark.slow
@pytest.mark.issue(6)
def test_a_run_diffs_its_version_against_the_previous_one_once(prefect_harness, tmp_path, monkeypatch):
    """The report (in the staging dir) and the Prefect artifact (in place) show the same diff: made once."""
    import shutil

    from pipeline import diff
    from pipeline.config import PipelineConfig
    from pipeline.flows import run_flow
    from schemas import TABLES

    corpus = tmp_path / "in"
    shutil.copytree(SEEDS, corpus)
    config = PipelineConfig(cache=False)
    first = run_flow(str(corpus), str(tmp_path / "out"), config)
    path = corpus / "002_3a19eccab1853679.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n全区新建12个党群服务中心。\n", encoding="utf-8")
    made = []
    real = diff._diff_table
    monkeypatch.setattr(diff, "_diff_table", lambda con, name, *a: made.append(name) or real(con, name, *a))
    second = run_flow(str(corpus), str(tmp_path / "out"), config)
    assert second["new_version"] and second["version_id"] != first["version_id"]
    assert sorted(made) == sorted(TABLES)
    index = (tmp_path / "out" / second["version_id"] / "report" / "index.html").read_text(encoding="utf-8")
    assert f"Against <code>{first['version_id']}</code>: differences." in index


@pytest.mark.slow
@pytest.mark.issue(6)
def test_an_edited_article_is_the_only_one_of_its_batch_processed_again(prefect_harness, tmp_path, monkeypatch):
    """A batch that changed runs again, but its unchanged articles take their rows from the previous version
    (pipeline.reuse): only the edited and the new article are cleaned and extracted, and the version is the
    one a run without task cache or reuse makes."""
    import shutil

    from pipeline import process
    from pipeline.config import PipelineConfig
    from pipeline.dataset import _write_latest
    from pipeline.flows import run_flow

    corpus = tmp_path / "in"
    shutil.copytree(SEEDS, corpus)
    config = PipelineConfig(batch_size=10)  # one batch
    first = run_flow(str(corpus), str(tmp_path / "out"), config)
    marker = uuid.uuid4().hex  # new bytes every session: the task cache outlives test sessions
    seed = corpus / "001_4ff78243f4312f31.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + f"\n全区新建12个党群服务中心。{marker}\n", encoding="utf-8")
    (corpus / "000_new.txt").write_text(f"2025年4月1日，城关镇党委召开党建工作推进会议，全镇1200名党员和32个村党组织书记参加。{marker}\n",
                                         encoding="utf-8")
    processed = []
    real = process.extract_batch
    monkeypatch.setattr(process, "extract_batch", lambda cleaned, cfg: processed.extend(
        d.article.source_path for d in cleaned.docs) or real(cleaned, cfg))
    second = run_flow(str(corpus), str(tmp_path / "out"), config)
    assert sorted(processed) == ["000_new.txt", "001_4ff78243f4312f31.txt"]
    assert second["n_reused"] == second["n_ok"] - 2 == 4
    fresh = run_flow(str(corpus), str(tmp_path / "fresh"), PipelineConfig(batch_size=10, cache=False))
    assert fresh["n_reused"] == 0 and second["version_id"] == fresh["version_id"]
    # the same run again from the first version: its batch now comes from the task cache, and reuses nothing
    shutil.copytree(tmp_path / "out", tmp_path / "again")
    _write_latest(tmp_path / "again", first["version_id"])
    processed.clear()
    again = run_flow(str(corpus), str(tmp_path / "again"), config)
    assert again["version_id"] == second["version_id"] and again["n_reused"] == 0 and processed == []


@pytest.mark.issue(6)
def test_a_batch_result_is_cached_compressed_and_reads_back_the_same():
    """pipeline.tasks.BatchSerializer: what the task cache stores of a batch, found by its type as Prefect
    does when it reads a cached record; under half the size of Prefect's default pickle serializer."""
    from prefect.serializers import PickleSerializer, Serializer

    from pipeline.config import PipelineConfig
    from pipeline.reuse import process_units
    from pipeline.stages.ingest import discover_inputs
    from pipeline.tasks import BatchSerializer  # loaded wherever the task runs: that registers its type

    batch = process_units(SEEDS, discover_inputs(SEEDS), PipelineConfig())
    ours = Serializer(type="dangjian-batch")
    assert isinstance(ours, BatchSerializer)
    blob = ours.dumps(batch)
    back = ours.loads(blob)
    assert back.jsonl == batch.jsonl and back.inputs == batch.inputs and back.articles == batch.articles
    assert all(back.tables[name].equals(table) for name, table in batch.tables.items())
    assert b"\n" not in blob and len(blob) < len(PickleSerializer().dumps(batch)) / 2


@pytest.mark.slow
@pytest.mark.issue(6)
@pytest.mark.parametrize("preset", [False, True], ids=["ours", "user's"])
def test_prefect_clients_of_the_temporary_server_load_one_certificate_not_certifis_bundle(tmp_path, preset):
    """Prefect builds an SSL context with every API client, several a task run, loading certifi's bundle
    (17 ms) even for our plain-http server: during a run against that server, Prefect's CA file (inherited
    by the workers) holds one certificate, and it is gone after the run. A CA file the user set stays."""
    import json
    import os
    import subprocess
    import sys

    import certifi

    from tests.conftest import ROOT

    script = (
        "import json, os, ssl\n"
        "import pipeline.prefect_server as ps\n"
        "seen = []\n"
        "wait = ps.TemporaryServer.wait\n"
        "def recording_wait(self):\n"
        "    path = os.environ.get('PREFECT_API_SSL_CERT_FILE')\n"
        "    ssl.create_default_context(cafile=path)\n"
        "    seen.append([path, open(path).read().count('BEGIN CERTIFICATE')])\n"
        "    return wait(self)\n"
        "ps.TemporaryServer.wait = recording_wait\n"
        "from pipeline.cli import main\n"
        f"main(['run', '--input', {str(SEEDS)!r}, '--output', {str(tmp_path)!r}, '--format', 'json'],"
        " standalone_mode=False)\n"
        "seen.append(os.environ.get('PREFECT_API_SSL_CERT_FILE'))\n"
        "print(json.dumps(seen))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "PREFECT_API_SSL_CERT_FILE"))}
    if preset:
        env["PREFECT_API_SSL_CERT_FILE"] = certifi.where()
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (path, n_certs), after = json.loads(proc.stdout.splitlines()[-1])
    if preset:
        assert path == after == certifi.where() and n_certs > 100
    else:
        assert n_certs == 1 and path != certifi.where() and after is None


@pytest.mark.issue(6)
def test_the_flows_settings_are_serialized_once_for_all_its_task_submissions(monkeypatch):
    """Prefect serializes every setting for each task it submits to Dask (~50 ms, ~0.15 s with the workers
    busy); within a flow run they stay the same, so the flow serializes them once. A context with other
    settings is serialized anew, and the memo is undone on leaving."""
    from prefect.context import SettingsContext, serialize_context
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from pipeline.flows import SettingsSerializedOnce

    real, calls = SettingsContext.__dict__["serialize"], []

    def serialize(context, include_secrets=True):  # Prefect's, counted
        calls.append(context)
        return real(context, include_secrets=include_secrets)

    monkeypatch.setattr(SettingsContext, "serialize", serialize)
    want = serialize_context()["settings_context"]
    calls.clear()
    once = SettingsSerializedOnce()
    for _ in range(3):
        with once:
            got = serialize_context()["settings_context"]
            assert got == want and got is not once.last[4]  # a copy: the memo's dict is nobody's to change
    assert len(calls) == 1
    with once, temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        other = serialize_context()["settings_context"]
    assert len(calls) == 2 and other["settings"]["api"]["url"] == "http://127.0.0.1:9/api"
    assert SettingsContext.__dict__["serialize"] is serialize
    serialize_context()
    assert len(calls) == 3  # outside: Prefect's own again


@pytest.mark.issue(6)
def test_the_local_clusters_workers_get_the_settings_object_not_a_dump_to_validate_again():
    """For the local cluster the memo's answer carries the flow's Settings object: a worker takes it as it is
    instead of validating 54 settings models again before every task run, and gets the same settings.
    Otherwise (a scheduler's address) the answer is Prefect's dump, as before."""
    import pickle

    from prefect.context import SettingsContext, serialize_context

    from pipeline.flows import SettingsSerializedOnce

    context = SettingsContext.get()
    dump = context.serialize()
    with SettingsSerializedOnce(live_settings=True):
        live = serialize_context()["settings_context"]
    assert live["settings"] is context.settings and live["profile"] == dump["profile"]
    shipped = pickle.loads(pickle.dumps(live))  # what Dask sends a worker
    rebuilt, from_dump = SettingsContext(**shipped), SettingsContext(**dump)
    assert rebuilt.settings is shipped["settings"]  # taken as it is: not validated again
    assert rebuilt.settings.model_dump() == from_dump.settings.model_dump() == context.settings.model_dump()
    assert rebuilt.profile == from_dump.profile
    with SettingsSerializedOnce(live_settings=False):
        assert serialize_context()["settings_context"] == dump


@pytest.mark.slow
@pytest.mark.issue(6)
def test_an_incremental_runs_batches_do_not_wait_for_the_reuse_index(prefect_harness, tmp_path, monkeypatch):
    """The index of the previous version is built while the batches run (3.3 s before the first one at 100k):
    the first batch is out before the flow asks for the build's result, and its rows are still reused."""
    import shutil

    from pipeline import flows
    from pipeline.config import PipelineConfig

    corpus, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SEEDS, corpus)
    config = PipelineConfig(batch_size=10)  # one batch: the edit below sends it to be processed
    flows.run_flow(str(corpus), str(out), config)
    events = []
    real_result, real_batches = flows.IndexBuild.result, flows._run_batches
    monkeypatch.setattr(flows.IndexBuild, "result", lambda self: events.append("index") or real_result(self))

    def batches(*args):
        for item in real_batches(*args):
            events.append("batch")
            yield item

    monkeypatch.setattr(flows, "_run_batches", batches)
    path = corpus / "002_3a19eccab1853679.txt"
    path.write_text(path.read_text(encoding="utf-8") + f"\n全区新建12个党群服务中心。{uuid.uuid4().hex}\n",
                    encoding="utf-8")
    summary = flows.run_flow(str(corpus), str(out), config)
    assert events[0] == "batch" and "index" in events
    assert summary["n_reused"] == 4  # the other four seeds' rows came from the previous version
