"""Diff two dataset versions table by table, matched on stable ids, in DuckDB.

Rows are matched on each table's key (schemas.TABLE_KEYS): a key only in the new
version is added, only in the old one removed, in both with any other column
different (compared by a hash of each value, so lists and NULLs compare too) changed. DuckDB does
the joins over the Parquet files, on keys and per-column hashes (not whole rows), so a diff
of million-row tables takes seconds and about half the memory a join of whole rows took.
"""

import json
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import duckdb

from schemas import TABLE_KEYS, TABLES

RE_FAIL_ON = re.compile(r"^(?:(?P<table>\w+)\.)?(?P<what>added|removed|changed)\s*(?P<op>>=|>|==|=)\s*(?P<n>\d+)$")
#: How many example rows a diff shows per table and kind.
EXAMPLES = 5


@dataclass
class TableDiff:
    table: str
    rows_old: int
    rows_new: int
    added: int
    removed: int
    changed: int
    changed_columns: dict[str, int] = field(default_factory=dict)
    examples_added: list[dict] = field(default_factory=list)
    examples_removed: list[dict] = field(default_factory=list)
    examples_changed: list[dict] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class VersionDiff:
    old: str
    new: str
    tables: list[TableDiff]
    made_with: list[str] = field(default_factory=list)  # what changed in how the versions were made

    @property
    def equal(self) -> bool:
        return all(t.equal for t in self.tables)

    def to_json(self) -> str:
        return json.dumps({"old": self.old, "new": self.new, "equal": self.equal, "made_with": self.made_with,
                           "tables": [asdict(t) for t in self.tables]}, ensure_ascii=False, indent=2, default=str)


#: The last diff made, by the identity of the files it read. A run diffs its new version against the
#: previous one twice, for its report (in the staging dir) and for its Prefect artifact (in place): seconds
#: each at 100k articles. Renaming the staging dir into place keeps its files (device, inode, size, mtime).
_last: tuple[tuple, "VersionDiff"] | None = None


def diff_versions(old_dir: Path, new_dir: Path) -> VersionDiff:
    global _last
    from pipeline.dataset import manifest_fields

    key = (_files(old_dir), _files(new_dir))
    if _last is not None and _last[0] == key:
        return replace(_last[1], old=old_dir.name, new=new_dir.name)
    with duckdb.connect() as con:
        tables = [_diff_table(con, name, old_dir / f"{name}.parquet", new_dir / f"{name}.parquet") for name in TABLES]
    diff = VersionDiff(old=old_dir.name, new=new_dir.name, tables=tables,
                       made_with=_manifest_changes(manifest_fields(old_dir), manifest_fields(new_dir)))
    _last = (key, diff)
    return diff


def _files(vdir: Path) -> tuple:
    """(name, device, inode, size, mtime) of the files a diff reads; a file that is missing counts as None."""
    out = []
    for name in (*(f"{t}.parquet" for t in TABLES), "manifest.json"):
        try:
            st = (vdir / name).stat()
            out.append((name, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((name, None))
    return tuple(out)


def _manifest_changes(old: dict, new: dict) -> list[str]:
    """Pipeline version, config and resource files that differ between two manifests (manifest_fields)."""
    out = []
    for key in ("pipeline_version", "schema_version"):
        if old.get(key) != new.get(key):
            out.append(f"{key}: {old.get(key)} -> {new.get(key)}")
    for key in sorted(set(old.get("config", {})) | set(new.get("config", {}))):
        if old["config"].get(key) != new["config"].get(key):
            out.append(f"config.{key}: {old['config'].get(key)} -> {new['config'].get(key)}")
    res_old, res_new = old.get("resources", {}), new.get("resources", {})
    for name in sorted(set(res_old) | set(res_new)):
        if res_old.get(name) != res_new.get(name):
            state = "added" if name not in res_old else "removed" if name not in res_new else "edited"
            out.append(f"resource {name} {state}")
    return out


def _diff_table(con, name: str, old: Path, new: Path) -> TableDiff:
    """Rows added, removed and changed, matched on the table's key.

    Rows are compared by a 64-bit hash of each column (DuckDB's hash(), NULL included), so the join
    holds keys and hashes, not rows, and the articles' texts never enter a hash table: at 100k
    articles the join of the articles took 142 MB instead of 276, of the counts 122 MB instead of
    232. Only the few example rows are read whole. Two different values with the same hash would
    go unseen: odds of 2^-64 a changed value.
    """
    keys = TABLE_KEYS[name]
    cols = [c for c in TABLES[name].model_fields if c not in keys]
    hashes = ", ".join(f"hash({c}) AS {c}" for c in cols)
    for side, path in (("o", old), ("n", new)):
        con.execute(f"CREATE OR REPLACE VIEW {side} AS SELECT * FROM read_parquet('{_sql_path(path)}')")
        con.execute(f"CREATE OR REPLACE VIEW {side}h AS SELECT {', '.join(keys)}, {hashes} FROM {side}")
    on = " AND ".join(f"o.{k} = n.{k}" for k in keys)
    rows_old = con.execute("SELECT count(*) FROM o").fetchone()[0]
    rows_new = con.execute("SELECT count(*) FROM n").fetchone()[0]
    added = con.execute(f"SELECT count(*) FROM n ANTI JOIN o ON {on}").fetchone()[0]
    removed = con.execute(f"SELECT count(*) FROM o ANTI JOIN n ON {on}").fetchone()[0]
    distinct = " OR ".join(f"o.{c} <> n.{c}" for c in cols)
    per_col = ", ".join(f"sum(CASE WHEN o.{c} <> n.{c} THEN 1 ELSE 0 END)" for c in cols)
    stats = con.execute(f"SELECT count(*), {per_col} FROM oh o JOIN nh n ON {on} WHERE {distinct}").fetchone()
    changed = stats[0]
    changed_columns = {c: int(v) for c, v in zip(cols, stats[1:]) if v}
    show = [k for k in keys] + [c for c in ("text", "name", "source_path") if c in cols]
    td = TableDiff(name, rows_old, rows_new, added, removed, changed, changed_columns)
    td.examples_added = _rows(con, f"SELECT {', '.join('n.' + c for c in show)} FROM n ANTI JOIN o ON {on} LIMIT {EXAMPLES}", show)
    td.examples_removed = _rows(con, f"SELECT {', '.join('o.' + c for c in show)} FROM o ANTI JOIN n ON {on} LIMIT {EXAMPLES}", show)
    if changed:
        key_list = ", ".join(keys)
        con.execute(f"CREATE OR REPLACE TEMP TABLE ex AS SELECT {', '.join('o.' + k for k in keys)} "
                    f"FROM oh o JOIN nh n ON {on} WHERE {distinct} LIMIT {EXAMPLES}")
        pairs = ", ".join(f"CAST(o.{c} AS VARCHAR), CAST(n.{c} AS VARCHAR)" for c in changed_columns)
        sql = (f"SELECT {', '.join('o.' + k for k in keys)}, {pairs} FROM (FROM o SEMI JOIN ex USING ({key_list})) o "
               f"JOIN (FROM n SEMI JOIN ex USING ({key_list})) n ON {on}")
        for row in con.execute(sql).fetchall():
            ex = dict(zip(keys, row[:len(keys)]))
            vals = row[len(keys):]
            ex["changes"] = {c: [vals[2 * i], vals[2 * i + 1]] for i, c in enumerate(changed_columns)
                             if vals[2 * i] != vals[2 * i + 1]}
            td.examples_changed.append(ex)
    return td


def _rows(con, sql: str, cols: list[str]) -> list[dict]:
    return [dict(zip(cols, r)) for r in con.execute(sql).fetchall()]


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def parse_fail_on(spec: str) -> tuple[str | None, str, str, int]:
    """'removed>0' or 'counts.changed>=10' -> (table, what, op, n)."""
    m = RE_FAIL_ON.match(spec.replace(" ", ""))
    if not m or (m["table"] and m["table"] not in TABLES):
        raise ValueError(f"--fail-on {spec!r}: use [TABLE.]added|removed|changed OP N, e.g. removed>0 or counts.changed>=10")
    return m["table"], m["what"], m["op"], int(m["n"])


def failed_thresholds(diff: VersionDiff, specs: list[str]) -> list[str]:
    """The --fail-on conditions that hold for this diff."""
    hits = []
    for spec in specs:
        table, what, op, n = parse_fail_on(spec)
        for t in diff.tables:
            if table and t.table != table:
                continue
            value = getattr(t, what)
            if {">": value > n, ">=": value >= n, "==": value == n, "=": value == n}[op]:
                hits.append(f"{t.table}.{what}={value} ({spec})")
    return hits


def format_text(diff: VersionDiff) -> str:
    if diff.equal:  # the same rows; how they were made may still differ (a schema's version, a resource)
        return "\n".join([f"{diff.old} -> {diff.new}: no differences"] + [f"  made with: {c}" for c in diff.made_with])
    lines = [f"{diff.old} -> {diff.new}"] + [f"  made with: {c}" for c in diff.made_with]
    for t in diff.tables:
        if t.equal:
            lines.append(f"  {t.table:<12} unchanged ({t.rows_new} rows)")
            continue
        cols = ", ".join(f"{c} {n}" for c, n in t.changed_columns.items())
        lines.append(f"  {t.table:<12} +{t.added} -{t.removed} ~{t.changed} ({t.rows_old} -> {t.rows_new} rows)"
                     + (f"; changed columns: {cols}" if cols else ""))
        lines += _examples(t, ("      + ", "      - ", "      ~ "), "{c}: {a} -> {b}")
    return "\n".join(lines)


def format_markdown(diff: VersionDiff) -> str:
    title = "no differences" if diff.equal else "differences"
    lines = [f"### Dataset diff `{diff.old}` → `{diff.new}`: {title}", "",
             "| table | rows old | rows new | added | removed | changed | changed columns |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for t in diff.tables:
        cols = ", ".join(f"`{c}` {n}" for c, n in t.changed_columns.items())
        lines.append(f"| {t.table} | {t.rows_old} | {t.rows_new} | {t.added} | {t.removed} | {t.changed} | {cols} |")
    if diff.made_with:
        lines += ["", "Made differently: " + "; ".join(f"`{c}`" for c in diff.made_with)]
    for t in diff.tables:
        if t.equal:
            continue
        lines += ["", f"<details><summary>{t.table}: examples</summary>", ""]
        lines += _examples(t, ("- added: ", "- removed: ", "- changed "), "`{c}`: {a} → {b}")
        lines += ["", "</details>"]
    return "\n".join(lines)


def _examples(t: TableDiff, prefixes: tuple[str, str, str], change_fmt: str) -> list[str]:
    """Example rows of a table diff, one line each: added, removed, then changed with old -> new."""
    lines = [prefixes[0] + _brief(ex) for ex in t.examples_added]
    lines += [prefixes[1] + _brief(ex) for ex in t.examples_removed]
    for ex in t.examples_changed:
        changes = "; ".join(change_fmt.format(c=c, a=_short(a), b=_short(b)) for c, (a, b) in ex["changes"].items())
        lines.append(f"{prefixes[2]}{_brief({k: v for k, v in ex.items() if k != 'changes'})}: {changes}")
    return lines


def _brief(row: dict) -> str:
    return ", ".join(f"{k}={_short(v)}" for k, v in row.items())


def _short(value, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
