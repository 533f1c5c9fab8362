"""The HTML report, tested as a person would look at it: in headless Chromium, with screenshots."""

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (make test installs it)",
)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def test_every_version_holds_its_report(seed_run):
    vdir, manifest = seed_run
    index = vdir / "report" / "index.html"
    assert index.exists()
    pages = list((vdir / "report" / "articles").glob("*.html"))
    assert len(pages) == manifest.n_ok
    html = index.read_text(encoding="utf-8")
    assert manifest.version_id in html and html.count("<svg") == 4 and "红墙先锋工程" in html


def test_report_command_writes_elsewhere(seed_run, tmp_path):
    vdir, _m = seed_run
    result = CliRunner().invoke(main, ["report", vdir.name, "--data", str(vdir.parent), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "index.html").exists() and len(list((tmp_path / "r" / "articles").iterdir())) == 5


@needs_chromium
def test_report_renders_in_chromium(seed_run, tmp_path):
    from playwright.sync_api import sync_playwright

    vdir, manifest = seed_run
    index = (vdir / "report" / "index.html").resolve()
    article = next(a for a in manifest.inputs if a.path.startswith("004")).article_id
    page_path = (vdir / "report" / "articles" / f"{article}.html").resolve()
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1600})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(index.as_uri())
        page.screenshot(path=str(tmp_path / "overview.png"))
        plots = page.locator(".plot svg")
        assert plots.count() == 4
        assert all(plots.nth(i).bounding_box()["height"] > 100 for i in range(4))
        assert page.locator("text=Counts by counted entity").count() == 1
        page.goto(page_path.as_uri())
        page.screenshot(path=str(tmp_path / "article.png"))
        marks = page.locator("mark.entity")
        assert marks.count() > 40
        labels = {marks.nth(i).locator("span").inner_text() for i in range(marks.count())}
        assert labels == {"COUNT", "INITIATIVE", "DATE", "PERSON"}
        assert page.locator("mark.entity", has_text="张俊录").count() >= 1
        raw = page.locator("a", has_text="004_012d474a664d6f6c.txt").get_attribute("href")
        target = Path(raw.removeprefix("file://")) if raw.startswith("file://") else (page_path.parent / raw).resolve()
        assert target.exists()
        browser.close()
    assert errors == []
    assert (tmp_path / "overview.png").stat().st_size > 50_000


def test_plots_hold_corpus_sized_tables():
    """30,000 dated events once broke the events plot (Altair's 5,000-row limit): plots aggregate."""
    import duckdb
    import numpy as np
    import pandas as pd

    from pipeline.report import _plots_later

    n = 30_000
    rng = np.random.default_rng(0)
    tables = {
        "articles": pd.DataFrame({"article_id": ["a"], "district": ["西城区"]}),
        "counts": pd.DataFrame({"article_id": ["a"] * n, "entity": rng.choice(["党员", "社区", ""], n)}),
        "events": pd.DataFrame({"date": [f"20{20 + i % 6}-{1 + i % 12:02d}-0{1 + i % 9}" for i in range(n)],
                                "event_type": rng.choice(["meeting", "speech"], n)}),
        "initiatives": pd.DataFrame({"kind": rng.choice(["brand", "plan"], n)}),
        "persons": pd.DataFrame({"title": rng.choice(["书记", "区长"], n)}),
    }
    con = duckdb.connect()
    for name, frame in tables.items():
        con.register(name, frame)
    plots = _plots_later(con)()
    assert len(plots) == 4 and all("<svg" in p for p in plots)


def test_counts_plot_colours_the_ten_districts_with_most_counts():
    """A corpus names hundreds of districts: a legend of all of them is unreadable, the rest are 其他."""
    import duckdb
    import pandas as pd

    from pipeline.report import TOP_DISTRICTS, _plots_later

    districts = [f"第{i:02d}区" for i in range(30)]  # 第00区 has the most counts, 第29区 the fewest
    articles = pd.DataFrame({"article_id": districts, "district": districts})
    ids = [d for i, d in enumerate(districts) for _ in range(40 - i)]
    con = duckdb.connect()
    con.register("articles", articles)
    con.register("counts", pd.DataFrame({"article_id": ids, "entity": ["党员"] * len(ids)}))
    for name in ("events", "initiatives", "persons"):  # empty tables: no plot of theirs
        con.execute({"events": "CREATE TABLE events (date VARCHAR, event_type VARCHAR)",
                     "initiatives": "CREATE TABLE initiatives (kind VARCHAR)",
                     "persons": "CREATE TABLE persons (title VARCHAR)"}[name])
    (svg,) = _plots_later(con)()
    assert all(d in svg for d in districts[:TOP_DISTRICTS]) and "其他" in svg
    assert not any(d in svg for d in districts[TOP_DISTRICTS:])


def _printed_by_fresh_python(code: str) -> list[str]:
    """The lines code prints in a Python process of its own (what a process has imported is the test)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


@pytest.mark.issue(6)
def test_report_libraries_load_once_in_the_background_and_not_on_import():
    """The flow process imports pipeline.report cheaply; the heavy libraries load in one background thread,
    the plots' renderer, vl-convert's JavaScript engine, in a helper process (pipeline.vega), and spaCy
    not at all (the article pages mark the extractions themselves)."""
    assert _printed_by_fresh_python(
        "import sys, pipeline.report as r, pipeline.vega as v\n"
        "heavy = ('duckdb', 'altair')\n"
        "print([m for m in (*heavy, 'vl_convert', 'spacy') if m in sys.modules])\n"
        "a = r.preload_in_background(); b = r.preload_in_background(); a.join()\n"
        "print(a is b, [m for m in heavy if m not in sys.modules], [m for m in ('vl_convert', 'spacy') if m in sys.modules],"
        " v._helper is not None)\n"
    ) == ["[]", "True [] [] True"]


@pytest.mark.issue(6)
def test_a_paused_preload_loads_nothing_until_it_is_resumed_or_joined():
    """The flow holds the preload while it creates the run and submits the batches (its imports hold the GIL)."""
    assert _printed_by_fresh_python(
        "import sys, time, pipeline.report as r\n"
        "p = r.preload_in_background(paused=True); time.sleep(1.0)\n"
        "print(p.is_alive(), 'altair' in sys.modules, 'duckdb' in sys.modules)\n"
        "p.join(timeout=300)\n"
        "print(p.is_alive(), 'altair' in sys.modules, 'duckdb' in sys.modules)\n") == ["True False False", "False True True"]


@pytest.mark.issue(6)
def test_review_rows_are_read_batch_by_batch_and_all_found(tmp_path):
    """The review pages' rows come from every batch of a table, in table order, as a filtered read gives them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.report import _rows_of

    n = 50_000  # several read batches and row groups
    table = pa.table({"article_id": [f"a{i % 997}" for i in range(n)], "value": list(range(n))})
    path = tmp_path / "counts.parquet"
    pq.write_table(table, path, row_group_size=12_000)
    wanted = ["a3", "a996", "a500"]
    rows = _rows_of(path, wanted)
    assert rows == pq.read_table(path, filters=[("article_id", "in", wanted)]).to_pylist()
    assert len(rows) == 3 * (n // 997) + (1 if n % 997 > 3 else 0) + (1 if n % 997 > 500 else 0)
    assert [r["value"] for r in rows] == sorted(r["value"] for r in rows)
    assert _rows_of(path, []) == []


def test_the_plots_are_valid_vega_lite(seed_run, monkeypatch):
    """The report skips Altair's validation at run time (~0.3 s of the specs, ~0.4 s of the pieces as they
    are made at 100k articles); the charts it makes must pass it."""
    from altair.utils import schemapi

    from pipeline.report import _charts, _spec
    from pipeline.validate import connect_tables

    real, validated = schemapi.validate_jsonschema, []
    monkeypatch.setattr(schemapi, "validate_jsonschema", lambda inst, *a, **k: validated.append(inst) or real(inst, *a, **k))
    vdir, _m = seed_run
    with connect_tables(vdir) as con:
        charts = _charts(con)
    assert len(charts) == 4
    specs = [_spec(chart) for _title, chart in charts]
    # neither the plots' rows nor whole specs were validated (only .properties(width=, height=) checks its
    # two numbers, whatever the mode); the mode is as it was
    assert not any(isinstance(inst, dict) and ("values" in inst or "$schema" in inst) for inst in validated)
    assert schemapi.DEBUG_MODE
    for (_title, chart), spec in zip(charts, specs):
        assert _spec(chart, validate=True) == spec  # raises on a spec Vega-Lite's schema rejects
    assert any(isinstance(inst, dict) and "$schema" in inst for inst in validated)


def test_article_text_is_kept_whole_with_each_extraction_marked():
    """Every character of the article, escaped, line breaks as <br>; each extraction a mark with its label."""
    import html
    import re

    from pipeline.report import LABELS, _marked

    text = "全区5739个党组织<b>\n张俊录说"
    ents = [{"start": text.index("5739"), "end": text.index("党组织"), "label": "COUNT"},
            {"start": text.index("张"), "end": text.index("说"), "label": "PERSON"}]
    out = _marked(text, ents)
    assert out.count("<mark class='entity'") == 2 and LABELS["COUNT"] in out and LABELS["PERSON"] in out
    assert ">5739个<span" in out and ">张俊录<span" in out and "&lt;b&gt;" in out
    unlabelled = re.sub(r"<span[^>]*>(COUNT|PERSON)</span>", "", out)
    assert html.unescape(re.sub(r"<(?!br>)[^>]*>", "", unlabelled).replace("<br>", "\n")) == text
    assert _marked("", []) == "<div class='entities' style='line-height: 2.5; direction: ltr'></div>"
