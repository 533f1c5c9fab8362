"""Self-description of a version: Frictionless datapackage.json and a short README.md.

Both are written into the staging dir before it is renamed into place, so a
version is complete and immutable from the moment it appears.
"""

import json
import types
import typing
from pathlib import Path

from schemas import TABLE_KEYS, TABLES
from schemas.manifest import ManifestHead

_FRICTIONLESS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _field_type(annotation) -> str:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _field_type(args[0])
    if origin is typing.Annotated:
        return _field_type(typing.get_args(annotation)[0])
    if origin is list:
        return "array"
    if origin is typing.Literal:
        return "string"
    if getattr(annotation, "__name__", "") == "date":
        return "date"
    return _FRICTIONLESS.get(annotation, "object")


def _table_schema(name: str) -> dict:
    model = TABLES[name]
    fields = [{"name": n, "type": _field_type(f.annotation), "description": f.description or ""}
              for n, f in model.model_fields.items()]
    schema = {"fields": fields, "primaryKey": list(TABLE_KEYS[name])}
    if name != "articles":
        schema["foreignKeys"] = [{"fields": "article_id", "reference": {"resource": "articles", "fields": "article_id"}}]
    return schema


def write_datapackage(stage: Path, manifest: ManifestHead) -> None:
    resources = []
    for name, rec in manifest.tables.items():
        schema = _table_schema(name)
        resources.append({
            "name": name, "path": f"{name}.parquet", "format": "parquet",
            "mediatype": "application/vnd.apache.parquet", "hash": f"sha256:{rec.parquet_sha256}",
            "bytes": (stage / f"{name}.parquet").stat().st_size, "rows": rec.rows, "schema": schema,
        })
        resources.append({
            "name": f"{name}-jsonl", "path": f"{name}.jsonl", "format": "jsonl", "mediatype": "application/jsonl",
            "hash": f"sha256:{rec.jsonl_sha256}", "bytes": (stage / f"{name}.jsonl").stat().st_size,
            "rows": rec.rows, "schema": schema,
        })
    package = {
        "profile": "data-package", "name": f"dangjian-{manifest.version_id}", "id": manifest.version_id,
        "title": f"dangjian dataset {manifest.version_id}", "version": manifest.version_id,
        "description": manifest.label, "created": manifest.created_at.isoformat(),
        "sources": [{"title": "input root", "path": manifest.input_root}],
        "dangjian": {"pipeline_version": manifest.pipeline_version, "schema_version": manifest.schema_version},
        "resources": resources,
    }
    (stage / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_version_readme(stage: Path, manifest: ManifestHead) -> None:
    vid = manifest.version_id
    rows = "\n".join(f"| `{n}` | {t.rows} |" for n, t in manifest.tables.items())
    bad = manifest.quarantined
    quarantine = "\n".join(f"- `{r.path}`: {r.reason}" for r in bad) or "none"
    text = f"""# dangjian dataset `{vid}`

{manifest.label}. Made {manifest.created_at.isoformat()} by dangjian {manifest.pipeline_version}
(schema {manifest.schema_version}) from `{manifest.input_root}`: {manifest.n_ok} articles processed,
{manifest.n_quarantined} inputs quarantined.

| table | rows |
| --- | ---: |
{rows}

Every extraction row carries `article_id`, `sentence_index`, `char_start`, `char_end`, `sentence`,
`text` and `method`; `articles.text[char_start:char_end] == text` (`articles.byline` when
`source_field` is `byline`, `articles.title` when it is `title`). Column descriptions are in the Parquet schema and in `datapackage.json`.

## Load

```sql
-- DuckDB
SELECT * FROM read_parquet('data/{vid}/counts.parquet');
```

```python
import polars as pl, pandas as pd
pl.read_parquet("data/{vid}/persons.parquet")
pd.read_parquet("data/{vid}/events.parquet")
```

## How it was made

`python -m pipeline run --input {manifest.input_root} --output <root>`; config and the
sha256 of every input and resource file are in `manifest.json`.

## Quarantined inputs

{quarantine}
"""
    (stage / "README.md").write_text(text, encoding="utf-8")


def finalize_version(stage: Path, manifest: ManifestHead) -> None:
    """Everything a version holds besides its tables and manifest: datapackage, README, report."""
    from pipeline.report import build_report

    write_datapackage(stage, manifest)
    write_version_readme(stage, manifest)
    previous = stage.parent / manifest.previous_version if manifest.previous_version else None
    build_report(stage, stage / "report", previous, max_articles=manifest.config.get("report_max_articles", 1000),
                 manifest=manifest)
