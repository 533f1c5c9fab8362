"""Check a written version on read-back before it becomes visible (DATASET.md contract).

Every table is read back from Parquet and checked: the schema equals the one the
models define, ids are present and unique, every row points at an article that
exists, row counts equal the manifest. (That offsets give the evidence text,
``text[char_start:char_end]``, the writer checks batch by batch as it writes:
pipeline.dataset.check_evidence; here it would join every row with the whole
text of the corpus.) A version that fails is not renamed into place; the run
fails with the problems listed.
"""

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipeline.errors import raise_if_invalid
from schemas import TABLE_KEYS, TABLES
from schemas.arrow import arrow_schema
from schemas.manifest import Manifest, ManifestHead

ID_COLUMNS = {"articles": "article_id", "counts": "count_id", "initiatives": "initiative_id",
              "events": "event_id", "persons": "person_id"}


def connect_tables(vdir: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per table of the version at vdir (read lazily, streamed)."""
    con = duckdb.connect()
    for name in TABLES:
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{_q(vdir / f'{name}.parquet')}')")
    return con


def validate_version(vdir: Path, manifest: Manifest | ManifestHead) -> None:
    """Raise DatasetError listing every problem found in the version at vdir."""
    with connect_tables(vdir) as con:
        _check(con, vdir, manifest)


def _check(con: duckdb.DuckDBPyConnection, vdir: Path, manifest: Manifest | ManifestHead) -> None:
    problems: list[str] = []
    for name, model in TABLES.items():
        schema = pq.read_schema(vdir / f"{name}.parquet")
        if not schema.equals(arrow_schema(model), check_metadata=False):
            problems.append(f"{name}: Parquet schema differs from the {model.__name__} model")
            continue
        n = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
        if n != manifest.tables[name].rows:
            problems.append(f"{name}: {n} rows on disk, manifest says {manifest.tables[name].rows}")
        keys = ", ".join(TABLE_KEYS[name])
        nulls = con.execute(f"SELECT count(*) FROM {name} WHERE {ID_COLUMNS[name]} IS NULL OR article_id IS NULL").fetchall()[0][0]
        dupes = con.execute(f"SELECT count(*) FROM (SELECT {keys} FROM {name} GROUP BY {keys} HAVING count(*) > 1)").fetchall()[0][0]
        if nulls:
            problems.append(f"{name}: {nulls} rows without an id")
        if dupes:
            problems.append(f"{name}: {dupes} duplicated keys ({keys})")
    raise_if_invalid(problems)
    for name in TABLES:
        if name == "articles":
            continue
        orphans = con.execute(
            f"SELECT count(*) FROM {name} t ANTI JOIN articles a ON t.article_id = a.article_id").fetchall()[0][0]
        if orphans:
            problems.append(f"{name}: {orphans} rows point at no article")
    raise_if_invalid(problems)


def _q(path: Path) -> str:
    return str(path).replace("'", "''")
