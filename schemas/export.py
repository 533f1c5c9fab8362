"""Export the JSON Schema of every table model and of the manifest (``python -m pipeline schema``)."""

import json
from pathlib import Path

from schemas import TABLES, Manifest


def json_schemas() -> dict[str, dict]:
    out = {name: model.model_json_schema() for name, model in TABLES.items()}
    out["manifest"] = Manifest.model_json_schema()
    return out


def export_json_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = out_dir / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
