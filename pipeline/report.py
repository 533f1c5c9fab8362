"""A static HTML report of a version: overview, plots, and a review page per article.

Opens from disk, needs no server and no network: plots are Vega-Lite specs made
with Altair and rendered to inline SVG by vl-convert (the data is in the SVG),
article pages highlight every extraction in place (displaCy's entity style), and
Chinese renders with the system's CJK fonts (Noto Sans CJK, Source Han, PingFang,
Microsoft YaHei).
"""

import html
import json
import os
import re
import threading
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas.arrow import string_array
from schemas.manifest import ManifestHead

FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"
#: Districts that get a colour of their own in the counts plot (the others are 其他).
TOP_DISTRICTS = 10
LABELS = {"COUNT": "#ffd166", "INITIATIVE": "#8ecae6", "DATE": "#b8e0a0", "PERSON": "#f4a6c0"}
CSS = f"""
body {{ font-family: {FONT}; margin: 2em auto; max-width: 1100px; color: #222; line-height: 1.6; }}
h1, h2, h3 {{ font-weight: 600; }} table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }}
th, td {{ border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }} .plots {{ display: flex; flex-wrap: wrap; gap: 1.5em; }}
.plot {{ border: 1px solid #eee; padding: 0.5em; }} .meta td:first-child {{ font-weight: 600; }}
.legend span {{ padding: 2px 8px; margin-right: 6px; border-radius: 4px; }}
.entities {{ line-height: 2.4; }} code {{ background: #f6f6f6; padding: 0 4px; }}
"""


def _load_libraries() -> None:
    import altair  # noqa: F401


def _load_own() -> None:
    import pipeline.diff  # noqa: F401
    import pipeline.validate  # noqa: F401


def _start_vega() -> None:
    from pipeline import vega

    vega.start_helper()


#: The report's libraries (~0.5 s of CPU), loaded step by step (a paused Preload stops between two of
#: them), then the helper process that renders the plots starts (pipeline.vega: its JavaScript engine
#: warms there, ~1 s of CPU).
PRELOAD_STEPS = (_load_libraries, _load_own, _start_vega)


class Preload(threading.Thread):
    """PRELOAD_STEPS in a daemon thread, a step at a time; errors ignored (only a head start: the report
    imports the libraries again and reports its own errors).

    pause() holds it after the step it is in: its imports hold the GIL, so while the flow process has
    work of its own (creating the flow run, hashing the inputs, submitting the batches) a preload that
    goes on takes that time from it. resume() lets it go on; join() resumes it first.
    """

    def __init__(self, paused: bool = False):
        super().__init__(name="report-preload", daemon=True)
        self._go = threading.Event()
        if not paused:
            self._go.set()

    def run(self) -> None:
        for step in PRELOAD_STEPS:
            self._go.wait()
            try:
                step()
            except Exception:  # noqa: BLE001
                pass

    def pause(self) -> None:
        self._go.clear()

    def resume(self) -> None:
        self._go.set()

    def join(self, timeout: float | None = None) -> None:
        self.resume()
        super().join(timeout)


_preloading: Preload | None = None
_preload_lock = threading.Lock()


def preload_in_background(paused: bool = False) -> Preload:
    """The process's one Preload, started on the first call (paused: until its resume()).

    A run starts it where its process would otherwise wait: the command line while the temporary
    API server boots (pipeline.flows.run_flow, once the cluster's workers are up; paused once
    the server answers), a flow run once its batches are in flight. Join it before the report is
    written: a thread left behind at exit upsets DuckDB's teardown.
    """
    global _preloading

    with _preload_lock:
        if _preloading is None:
            _preloading = Preload(paused=paused)
            _preloading.start()
        return _preloading


def _frame(con, sql: str):
    """The result as inline Vega-Lite data (rows as dicts: no DataFrame library needed)."""
    import altair as alt

    cur = con.execute(sql)
    names = [c[0] for c in cur.description]
    return alt.Data(values=[dict(zip(names, row)) for row in cur.fetchall()])


def _first_articles(vdir: Path, n: int) -> list[dict]:
    """The first n articles in table order (only these get review pages; read without the rest)."""
    out: list[dict] = []
    if n <= 0:
        return out
    for batch in pq.ParquetFile(vdir / "articles.parquet").iter_batches(batch_size=min(n, 1024)):
        out += batch.to_pylist()
        if len(out) >= n:
            break
    return out[:n]


def _rows_of(path: Path, article_ids: list[str]) -> list[dict]:
    """The rows of a table that belong to these articles, read a batch at a time.

    pq.read_table(filters=...) holds the whole table before it filters: ~250 MB for the counts of
    100k articles, growing with the corpus. This holds one row group and the matches, and reads a
    row group whole only when its article_id column has a match (the review pages are the first
    articles: at 100k, 0.62 s of reading every row group became 0.26 s).
    """
    if not article_ids:
        return []
    wanted = string_array(article_ids)
    pf = pq.ParquetFile(path)
    rows: list[dict] = []
    for g in range(pf.metadata.num_row_groups):
        keep = pc.is_in(pf.read_row_group(g, columns=["article_id"]).column(0), value_set=wanted)
        if pc.any(keep).as_py():
            rows += pf.read_row_group(g).filter(keep).to_pylist()
    return rows


def build_report(vdir: Path, out: Path, previous: Path | None = None, max_articles: int = 1000,
                 manifest: ManifestHead | None = None) -> Path:
    """Write out/index.html and out/articles/<article_id>.html; returns the index path.

    manifest: the version's head when the caller has it (a run: saves reading every input record back).
    """
    from pipeline import vega
    from pipeline.validate import connect_tables

    vega.start_helper()  # unless the preload started one: it boots while the plots' data is read
    out.mkdir(parents=True, exist_ok=True)
    (out / "articles").mkdir(exist_ok=True)
    index = out / "index.html"
    with connect_tables(vdir) as con:  # DuckDB views: the index's aggregates stream, memory stays flat
        plots = _plots_later(con)  # first: the helper renders them while the article pages are written
        if manifest is None:
            manifest = json.loads((vdir / "manifest.json").read_text(encoding="utf-8"))
        else:
            manifest = json.loads(manifest.model_dump_json())
            manifest["inputs"] = manifest.pop("quarantined")  # the only inputs the report lists
        pages = _first_articles(vdir, max_articles)
        by_article: dict[str, dict[str, list[dict]]] = {}
        paged = [a["article_id"] for a in pages]
        for name in ("counts", "initiatives", "events", "persons"):
            for row in _rows_of(vdir / f"{name}.parquet", paged):
                by_article.setdefault(row["article_id"], {}).setdefault(name, []).append(row)
        for art in pages:
            rows = {name: by_article.get(art["article_id"], {}).get(name, [])
                    for name in ("counts", "initiatives", "events", "persons")}
            page = _article_page(art, rows, manifest, out / "articles")
            (out / "articles" / f"{art['article_id']}.html").write_text(page, encoding="utf-8")
        index.write_text(_index_page(vdir, manifest, con, previous, pages, plots()), encoding="utf-8")
    return index


#: An extraction in the article's text, in displaCy's entity style (without importing spaCy: ~0.9 s of CPU
#: in the flow process, while the workers run the batches).
MARK = ("<mark class='entity' style='background: {color}; padding: 0.45em 0.6em; margin: 0 0.25em; line-height: 1; "
        "border-radius: 0.35em;'>{text}<span style='font-size: 0.8em; font-weight: bold; line-height: 1; "
        "border-radius: 0.35em; vertical-align: middle; margin-left: 0.5rem'>{label}</span></mark>")


def _marked(text: str, ents: list[dict]) -> str:
    """text as HTML with each of ents (non-overlapping {start, end, label}, in order) marked; line breaks kept."""
    def plain(s: str) -> str:
        return html.escape(s).replace("\n", "<br>")

    parts, pos = [], 0
    for e in ents:
        parts.append(plain(text[pos:e["start"]]))
        parts.append(MARK.format(color=LABELS.get(e["label"], "#ddd"), text=plain(text[e["start"]:e["end"]]),
                                 label=html.escape(e["label"])))
        pos = e["end"]
    parts.append(plain(text[pos:]))
    return "<div class='entities' style='line-height: 2.5; direction: ltr'>" + "".join(parts) + "</div>"


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body>{body}</body></html>\n")


def _index_page(vdir: Path, manifest: dict, con, previous: Path | None, pages: list[dict], plots: list[str]) -> str:
    vid = manifest["version_id"]
    rows = "".join(f"<tr><td>{n}</td><td>{t['rows']}</td></tr>" for n, t in manifest["tables"].items())
    bad = [r for r in manifest["inputs"] if r["status"] != "ok"]
    quarantine = "".join(f"<tr><td>{html.escape(r['path'])}</td><td>{html.escape(r['reason'])}</td></tr>" for r in bad)
    parts = [
        f"<h1>dangjian dataset <code>{vid}</code></h1>",
        f"<p>{html.escape(manifest['label'])}; made {manifest['created_at']} by pipeline {manifest['pipeline_version']} "
        f"from <code>{html.escape(manifest['input_root'])}</code>.</p>",
        f"<h2>Overview</h2><p>{manifest['n_ok']} articles, {manifest['n_quarantined']} inputs quarantined.</p>",
        f"<table><tr><th>table</th><th>rows</th></tr>{rows}</table>",
        "<h3>Quarantined inputs</h3>" + (f"<table><tr><th>input</th><th>reason</th></tr>{quarantine}</table>"
                                         if bad else "<p>none</p>"),
        "<h3>Difference to the previous version</h3>" + _diff_html(previous, vdir),
        "<h2>Plots</h2><div class='plots'>" + "".join(plots) + "</div>",
        "<h2>Initiatives followed across articles</h2>" + _initiatives_across(con),
        f"<h2>Articles</h2><p>Review pages for {len(pages)} of {manifest['tables']['articles']['rows']} articles.</p>"
        + _article_list(con, pages),
    ]
    return _page(f"dangjian {vid}", "\n".join(parts))


def _diff_html(previous: Path | None, vdir: Path) -> str:
    if previous is None or not (previous / "manifest.json").exists():
        return "<p>No previous version under this dataset root.</p>"
    from pipeline.diff import diff_versions

    diff = diff_versions(previous, vdir)
    rows = "".join(f"<tr><td>{t.table}</td><td>{t.added}</td><td>{t.removed}</td><td>{t.changed}</td>"
                   f"<td>{html.escape(', '.join(t.changed_columns))}</td></tr>" for t in diff.tables)
    made = "".join(f"<li>{html.escape(c)}</li>" for c in diff.made_with)
    return (f"<p>Against <code>{previous.name}</code>: {'no differences' if diff.equal else 'differences'}.</p>"
            f"<table><tr><th>table</th><th>added</th><th>removed</th><th>changed</th><th>columns</th></tr>{rows}</table>"
            + (f"<ul>{made}</ul>" if made else ""))


def _spec(chart, validate: bool = False) -> dict:
    """The chart's Vega-Lite spec, in a CJK font. Not validated against Vega-Lite's JSON Schema by
    default (~0.3 s for the four plots; the charts are this module's own, tests validate them)."""
    from altair.utils.schemapi import debug_mode

    with debug_mode(validate):  # configure() makes new pieces, which debug mode would validate one by one
        return chart.configure(font="Noto Sans CJK SC").configure_axis(
            labelFont="Noto Sans CJK SC", titleFont="Noto Sans CJK SC").to_dict(validate=validate)


def _plots_later(con):
    """Start rendering the plots (pipeline.vega); returns a function that gives them as HTML figures."""
    from pipeline import vega

    charts = _charts(con)
    svgs = vega.render([_spec(chart) for _title, chart in charts])
    return lambda: [f"<div class='plot'><h3>{html.escape(title)}</h3>{svg}</div>"
                    for (title, _chart), svg in zip(charts, svgs())]


def _charts(con) -> list[tuple[str, object]]:
    """(title, Altair chart) of the four plots over the whole version; DuckDB aggregates first
    (Altair holds at most 5,000 rows). A plot whose table is empty is left out.

    Made without Altair's debug mode, which validates each piece against Vega-Lite's schema as it is
    made (alt.Data of a plot's rows: ~0.4 s of the report at 100k articles); _spec(validate=True)
    validates the whole chart, as the tests do.
    """
    from altair.utils.schemapi import debug_mode

    with debug_mode(False):
        return _make_charts(con)


def _make_charts(con) -> list[tuple[str, object]]:
    import altair as alt

    out = []
    # a corpus names hundreds of districts: the ten with most of these counts get a colour, the rest 其他
    data = _frame(con, f"""
        WITH c AS (SELECT CASE WHEN entity = '' THEN '(无)' ELSE entity END AS entity,
                          coalesce(a.district, '未知') AS district
                   FROM counts LEFT JOIN (SELECT article_id, district FROM articles) a USING (article_id)),
             top AS (SELECT entity FROM c GROUP BY entity ORDER BY count(*) DESC, entity LIMIT 20),
             t AS (SELECT * FROM c WHERE entity IN (SELECT entity FROM top)),
             d AS (SELECT district FROM t GROUP BY district ORDER BY count(*) DESC, district LIMIT {TOP_DISTRICTS})
        SELECT entity, CASE WHEN district IN (SELECT district FROM d) THEN district ELSE '其他' END AS district,
               count(*) AS n FROM t GROUP BY ALL ORDER BY entity, district""")
    if data.values:
        out.append(("Counts by counted entity and district (top 20 entities)", alt.Chart(data).mark_bar().encode(
            y=alt.Y("entity:N", sort="-x", title="entity"), x=alt.X("sum(n):Q", title="counts"),
            color=alt.Color("district:N", title="district")).properties(width=420, height=380)))
    # one mark per month and type, sized by the number of events: a corpus has tens of thousands
    data = _frame(con, """
        SELECT strftime(strptime(substr(date, 1, 7), '%Y-%m'), '%Y-%m-%dT%H:%M:%S') AS month, event_type,
               count(*) AS events FROM events
        WHERE date IS NOT NULL AND NOT starts_with(date, 'XXXX') AND try_strptime(substr(date, 1, 7), '%Y-%m') IS NOT NULL
        GROUP BY ALL ORDER BY month, event_type""")
    if data.values:
        out.append(("Events timeline by type (dated with a year, per month)", alt.Chart(data).mark_circle().encode(
            x=alt.X("month:T", title="month"), y=alt.Y("event_type:N", title="type"),
            size=alt.Size("events:Q", title="events"), color=alt.Color("event_type:N", legend=None))
            .properties(width=420, height=220)))
    data = _frame(con, "SELECT kind, count(*) AS n FROM initiatives GROUP BY kind ORDER BY kind")
    if data.values:
        out.append(("Initiatives by kind", alt.Chart(data).mark_bar().encode(
            x=alt.X("n:Q", title="initiatives"), y=alt.Y("kind:N", sort="-x", title="kind"),
            color=alt.Color("kind:N", legend=None)).properties(width=360, height=220)))
    data = _frame(con, """SELECT CASE WHEN title = '' THEN '(无)' ELSE title END AS title, count(*) AS n FROM persons
                          GROUP BY 1 ORDER BY n DESC, title LIMIT 20""")
    if data.values:
        out.append(("Persons by title (top 20)", alt.Chart(data).mark_bar().encode(
            x=alt.X("n:Q", title="persons"), y=alt.Y("title:N", sort="-x", title="title")).properties(width=360, height=380)))
    return out


def _initiatives_across(con) -> str:
    """The 200 initiatives named by most articles, with their districts, years and articles."""
    data = con.execute("""
        SELECT i.initiative_id, i.name, first(i.kind ORDER BY i.kind) AS kind, count(*) AS n,
               list_sort(list_distinct(coalesce(list(a.district) FILTER (WHERE a.district <> ''), []))) AS districts,
               list_sort(list_distinct(coalesce(list(strftime(a.published_date, '%Y')) FILTER (WHERE a.published_date IS NOT NULL), []))) AS years,
               list(a.article_id ORDER BY a.article_id)[:50] AS ids, list(a.source_path ORDER BY a.article_id)[:50] AS paths
        FROM initiatives i LEFT JOIN (SELECT article_id, district, published_date, source_path FROM articles) a USING (article_id)
        GROUP BY i.initiative_id, i.name ORDER BY n DESC, i.name LIMIT 200""").fetchall()
    if not data:
        return "<p>none</p>"
    rows = []
    for _iid, name, kind, n, districts, years, ids, paths in data:
        links = " ".join(f"<a href='articles/{a}.html'>{html.escape(Path(p).name)}</a>" for a, p in zip(ids, paths))
        rows.append(f"<tr><td>{html.escape(name)}</td><td>{kind}</td><td>{n}</td>"
                    f"<td>{html.escape(', '.join(districts))}</td><td>{', '.join(years)}</td><td>{links}</td></tr>")
    return ("<table><tr><th>initiative</th><th>kind</th><th>articles</th><th>districts</th><th>years</th>"
            "<th>articles that mention it (first 50)</th></tr>" + "".join(rows) + "</table>")


def _article_list(con, pages: list[dict]) -> str:
    ids = [a["article_id"] for a in pages]
    per = {}
    for name in ("counts", "initiatives", "events", "persons"):
        per[name] = dict(con.execute(
            f"SELECT article_id, count(*) FROM {name} WHERE article_id IN (SELECT unnest($1)) GROUP BY article_id",
            [ids]).fetchall()) if ids else {}
    rows = []
    for a in pages:
        n = [per[t].get(a["article_id"], 0) for t in per]
        rows.append(f"<tr><td><a href='articles/{a['article_id']}.html'>{html.escape(a['title'] or a['source_path'])}</a></td>"
                    f"<td>{html.escape(a['district'] or '')}</td><td>{a['published_date'] or ''}</td>"
                    + "".join(f"<td>{x}</td>" for x in n) + "</tr>")
    return ("<table><tr><th>article</th><th>district</th><th>date</th><th>counts</th><th>initiatives</th>"
            "<th>events</th><th>persons</th></tr>" + "".join(rows) + "</table>")


def _article_page(art: dict, rows: dict[str, list[dict]], manifest: dict, page_dir: Path) -> str:
    text = art["text"]
    marked = _marked(text, _highlights(text, rows))
    raw = Path(manifest["input_root"]) / art["source_path"].split("#")[0]
    # relative when the input root was: the link survives the rename of the staging dir and a clone
    href = (os.path.relpath(raw.resolve(), page_dir.resolve()) if not raw.is_absolute() else raw.as_uri())
    meta = "".join(f"<tr><td>{k}</td><td>{html.escape(str(v) if v is not None else '')}</td></tr>" for k, v in (
        ("source", art["source_path"]), ("published", art["published_date"]), ("publisher", art["publisher"]),
        ("authors", ", ".join(art["authors"])), ("region", " ".join(x for x in (art["province"], art["city"], art["district"]) if x)),
        ("script", art["script"]), ("encoding", art["encoding"])))
    legend = "".join(f"<span style='background:{c}'>{k}</span>" for k, c in LABELS.items())
    cols = {"counts": ["text", "value", "unit", "entity", "approximate", "method"],
            "initiatives": ["name", "aliases", "kind", "owner", "mentions", "method"],
            "events": ["date", "date_text", "event_type", "trigger", "name", "participants"],
            "persons": ["name", "title", "organization", "method"]}
    tables_html = "".join(f"<h3>{name} ({len(rs)})</h3>" + (_table(rs, cols[name]) if rs else "<p>none</p>")
                          for name, rs in rows.items())
    body = (f"<p><a href='../index.html'>← report</a></p><h1>{html.escape(art['title'] or art['source_path'])}</h1>"
            f"<table class='meta'>{meta}<tr><td>raw input</td><td><a href='{html.escape(href)}'>{html.escape(str(raw))}</a>"
            f"</td></tr></table><p class='legend'>{legend}</p><div class='entities'>{marked}</div>{tables_html}")
    return _page(art["title"] or art["source_path"], body)


def _table(rows: list[dict], cols: list[str]) -> str:
    def cell(v):
        if isinstance(v, (list, tuple)):
            return ", ".join(f"{x['name']}({x['title']})" if isinstance(x, dict) else str(x) for x in v)
        return "" if v is None else str(v)
    head = "".join(f"<th>{c}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell(r[c]))}</td>" for c in cols) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _highlights(text: str, rows: dict[str, list[dict]]) -> list[dict]:
    """Non-overlapping spans to highlight: every count, every mention of an initiative, event dates, persons."""
    spans = [(r["char_start"], r["char_end"], "COUNT") for r in rows["counts"]]
    spans += [(r["char_start"], r["char_end"], "DATE") for r in rows["events"]]
    for name, table in (("INITIATIVE", rows["initiatives"]), ("PERSON", rows["persons"])):
        forms = set()
        for r in table:
            forms.add(r["name"])
            forms.update(r.get("aliases") or [])
        for form in sorted((f for f in forms if f), key=len, reverse=True):
            for m in re.finditer(re.escape(form), text):
                spans.append((m.start(), m.end(), name))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, end = [], -1
    for a, b, label in spans:
        if a >= end:
            out.append({"start": a, "end": b, "label": label})
            end = b
    return out
