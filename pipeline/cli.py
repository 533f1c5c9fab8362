"""The command line: one click group, one subcommand per user verb (run, score, schema, diff, report)."""

import json
import os
import sys
from pathlib import Path

import click

from pipeline.errors import DatasetError, RunError

#: Prefect settings for a quiet local run; users may override them in the environment.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLIENT_ENABLE_METRICS": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def prefect_env() -> None:
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


def remote_scheduler(address: str | None) -> bool:
    """A scheduler address on another host (not 'local', not a loopback address)."""
    if not address or address == "local":
        return False
    from urllib.parse import urlsplit

    host = urlsplit(address if "://" in address else f"tcp://{address}").hostname or ""
    return host not in ("localhost", "::1") and not host.startswith("127.")


def data_option(f):
    return click.option("--data", "data_dir", default="data", show_default=True, type=click.Path(file_okay=False),
                        help="dataset root holding versions and LATEST")(f)


def format_option(f):
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                        help="output format")(f)


@click.group()
@click.version_option(package_name="dangjian")
def main():
    """dangjian: Chinese party-building news to a versioned research dataset."""


@main.command()
@click.option("--input", "input_dir", default="seeds", show_default=True, type=click.Path(file_okay=False),
              help="folder of .txt, .html or .jsonl articles")
@click.option("--output", "output_dir", default="data", show_default=True, type=click.Path(file_okay=False),
              help="dataset root: the new version goes to OUTPUT/<version id>")
@click.option("--batch-size", default=None, type=click.IntRange(min=1), help="articles of ~2 KB per Prefect task run (default 2500)")
@click.option("--segmenter", type=click.Choice(["rjieba", "jieba"]), default=None, help="word segmenter")
@click.option("--dask", "dask_address", default=None, metavar="local|tcp://HOST:PORT",
              help="run tasks on Dask: a local cluster, or a scheduler address")
@click.option("--workers", "dask_workers", default=None, type=click.IntRange(min=1),
              help="workers of the local Dask cluster (default 2); with a scheduler address, how many the batches are "
                   "shared among (default: the scheduler's worker threads)")
@click.option("--no-cache", is_flag=True, help="process every article again, even when inputs and pipeline are unchanged")
@click.option("--wait", "lock_timeout", default=None, type=click.FloatRange(min=0),
              help="seconds to wait while another run writes to OUTPUT (default 600), then fail")
@format_option
def run(input_dir, output_dir, batch_size, segmenter, dask_address, dask_workers, no_cache, lock_timeout, fmt):
    """Run the pipeline on INPUT and write a new dataset version to OUTPUT.

    Exit status: 0 when every input was processed, 3 when some were quarantined
    (see manifest.json), 1 on error, 2 on an invalid option.

    Example: python -m pipeline run --input seeds --output data
    """
    prefect_env()
    from pipeline.config import PipelineConfig
    from pipeline.prefect_server import TemporaryServer, configured_api_url
    from pipeline.runs import unchanged_summary

    if not Path(input_dir).is_dir():
        raise click.ClickException(f"input folder {input_dir!r} does not exist: pass --input DIR with your articles")
    overrides = {"batch_size": batch_size, "segmenter": segmenter, "dask_address": dask_address,
                 "dask_workers": dask_workers, "cache": False if no_cache else None, "lock_timeout": lock_timeout}
    config = PipelineConfig(**{k: v for k, v in overrides.items() if v is not None})
    # The temporary API server boots (~6 s) while this process hashes the inputs and imports Prefect.
    server = None if configured_api_url() else TemporaryServer()
    if server is not None and remote_scheduler(dask_address):
        click.echo(f"Warning: the Dask workers of {dask_address} report their task runs to this run's temporary Prefect "
                   "server on 127.0.0.1, which workers on other hosts cannot reach; set PREFECT_API_URL to a server "
                   "they can reach", err=True)
    if server is not None:
        server.start()
    try:
        summary = unchanged_summary(input_dir, output_dir, config)
        if summary is None:
            if config.dask_address == "local":  # its workers' fork server boots while Prefect loads here
                from pipeline.cluster import FLOW_WORKER_MODULES, start_forkserver

                start_forkserver(config, FLOW_WORKER_MODULES)
            from pipeline.flows import run_flow

            summary = run_flow(input_dir, output_dir, config, server=server, check_unchanged=False)
    except (DatasetError, RunError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if server is not None:
            server.stop()
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        state = "new version" if summary["new_version"] else "unchanged, same as existing version"
        click.echo(f"{summary['version_id']} ({state}) at {summary['path']}")
        click.echo("rows: " + ", ".join(f"{k} {v}" for k, v in summary["rows"].items()))
        reused = f" ({summary['n_reused']} unchanged: rows reused)" if summary.get("n_reused") else ""
        click.echo(f"inputs: {summary['n_ok']} processed{reused}, {summary['n_quarantined']} quarantined")
        for reason, n in sorted(summary["quarantine_reasons"].items()):
            click.echo(f"  {n} x {reason}")
    if summary["n_quarantined"]:
        sys.exit(3)


@main.command()
@click.option("--name", default="dangjian-serve", show_default=True, help="deployment name")
@click.option("--input", "input_dir", default="seeds", show_default=True, help="default input folder of runs")
@click.option("--output", "output_dir", default="data", show_default=True, help="default dataset root of runs")
@click.option("--cron", default=None, help="optional schedule, e.g. '0 3 * * *'")
def serve(name, input_dir, output_dir, cron):
    """Serve the extraction flow as a deployment (Prefect's quick start; needs PREFECT_API_URL).

    Runs until stopped; trigger runs from the UI or with
    `prefect deployment run 'dangjian-extract/dangjian-serve'`.

    Example: python -m pipeline serve --input seeds --output data
    """
    prefect_env()
    from pipeline.flows import extract_flow

    if not os.environ.get("PREFECT_API_URL"):
        raise click.ClickException(
            "serve needs a running Prefect server: start one with `prefect server start` and "
            "export PREFECT_API_URL=http://127.0.0.1:4200/api")
    extract_flow.serve(name=name, parameters={"input_dir": input_dir, "output_dir": output_dir}, cron=cron)


@main.command()
@click.argument("version", default="LATEST")
@click.option("--gold", "gold_dir", default="tests/data/gold/seeds", show_default=True,
              type=click.Path(exists=True, file_okay=False), help="folder of gold JSON files")
@data_option
@format_option
def score(version, gold_dir, data_dir, fmt):
    """Score a dataset VERSION against gold files: P/R/F1 per table, article-field accuracy.

    Example: python -m pipeline score LATEST --gold tests/data/gold/seeds
    """
    from pipeline.dataset import resolve_version
    from pipeline.score import format_scores, score_version

    try:
        vdir = resolve_version(Path(data_dir), version)
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from exc
    scores = score_version(vdir, Path(gold_dir))
    if fmt == "json":
        click.echo(json.dumps(scores, ensure_ascii=False, indent=2))
    else:
        click.echo(f"version {vdir.name} against {gold_dir}")
        click.echo(format_scores(scores))


@main.command()
@click.argument("old")
@click.argument("new", default="LATEST")
@data_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="terminal summary, JSON for machines, markdown for a pull-request comment")
@click.option("--fail-on", "fail_on", multiple=True, metavar="[TABLE.]WHAT>N",
              help="exit 1 only when this holds, e.g. removed>0 or counts.changed>=10 (repeatable)")
@click.option("--new-data", "new_data", default=None, type=click.Path(file_okay=False),
              help="dataset root of NEW when it differs from --data")
def diff(old, new, data_dir, fmt, fail_on, new_data):
    """Compare two dataset versions table by table: rows added, removed, changed (matched on ids).

    Exit status: 0 when equal (or no --fail-on condition holds), 1 when different
    (or a --fail-on condition holds), 2 on error.

    Example: python -m pipeline diff v1cf29d26fb14 LATEST --format markdown --fail-on removed>0
    """
    from pipeline.dataset import resolve_version
    from pipeline.diff import diff_versions, failed_thresholds, format_markdown, format_text, parse_fail_on

    try:
        for spec in fail_on:
            parse_fail_on(spec)
        old_dir = resolve_version(Path(data_dir), old)
        new_dir = resolve_version(Path(new_data or data_dir), new)
        result = diff_versions(old_dir, new_dir)
    except (DatasetError, ValueError, OSError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    click.echo({"text": format_text, "markdown": format_markdown}.get(fmt, lambda d: d.to_json())(result))
    if fail_on:
        hits = failed_thresholds(result, list(fail_on))
        if hits:
            click.echo("fail-on: " + "; ".join(hits), err=True)
        sys.exit(1 if hits else 0)
    sys.exit(0 if result.equal else 1)


@main.command()
@click.argument("version", default="LATEST")
@data_option
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False),
              help="where to write the report (default: report-<version id> in the current folder)")
@click.option("--max-articles", default=1000, show_default=True, type=int, help="review pages for the first N articles")
def report(version, data_dir, out_dir, max_articles):
    """Write the static HTML report of a dataset VERSION again, e.g. for an old version.

    Every run already writes data/<version>/report/index.html; this makes the same report elsewhere.

    Example: python -m pipeline report LATEST --out /tmp/report
    """
    from pipeline.dataset import resolve_version
    from pipeline.report import build_report
    from schemas.manifest import Manifest

    try:
        vdir = resolve_version(Path(data_dir), version)
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from exc
    manifest = Manifest.model_validate_json((vdir / "manifest.json").read_text(encoding="utf-8"))
    previous = Path(data_dir) / manifest.previous_version if manifest.previous_version else None
    index = build_report(vdir, Path(out_dir or f"report-{vdir.name}"), previous, max_articles)
    click.echo(str(index))


@main.command()
@click.option("--out", "out_dir", default="schemas/json", show_default=True, type=click.Path(file_okay=False),
              help="folder for the exported JSON Schema files")
def schema(out_dir):
    """Export the JSON Schema of every table and of the manifest from the pydantic models.

    Example: python -m pipeline schema --out schemas/json
    """
    from schemas.export import export_json_schemas

    for path in export_json_schemas(Path(out_dir)):
        click.echo(str(path))
