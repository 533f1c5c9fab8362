"""manifest.json: what a version holds and how it was made (DATASET.md, "Layout")."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model


class InputRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(description="path relative to the input root ('file.jsonl#id' for JSONL records)")
    sha256: str
    n_bytes: int
    status: Literal["ok", "quarantined"]
    reason: str = Field(default="", description="'Qnnn message' when quarantined")
    code: str = Field(default="", description="the stable reason code, e.g. Q001")
    article_id: str = ""
    encoding: str = ""
    script: str = ""


class TableRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rows: int
    parquet_sha256: str
    jsonl_sha256: str
    content_sha256: str = Field(description="sha256 of the canonical JSONL rows: equal content, equal hash")


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version_id: str
    label: str
    created_at: dt.datetime
    pipeline_version: str
    schema_version: str
    config: dict
    input_root: str
    inputs: list[InputRecord]
    tables: dict[str, TableRecord]
    resources: dict[str, str] = Field(description="sha256 of every resource file the rules read")
    previous_version: str | None = None
    pipeline_fingerprint: str = Field(default="", description="sha256 of the pipeline's code, resources and config")
    inputs_fingerprint: str = Field(default="", description="sha256 of every input path and its sha256")
    n_ok: int
    n_quarantined: int


class _Head(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def of(cls, manifest: Manifest) -> "ManifestHead":
        fields = {name: getattr(manifest, name) for name in cls.model_fields if name != "quarantined"}
        return cls(**fields, quarantined=[r for r in manifest.inputs if r.status != "ok"])


#: A manifest without its per-input list, with the quarantined inputs instead: what a run hands on.
#: The writer spools input records to disk and splices them into manifest.json, so that memory does
#: not grow with the corpus; everything after the commit (report, README, summary) needs only these.
#: Its fields are Manifest's (but inputs), so the two cannot drift apart.
ManifestHead = create_model(
    "ManifestHead",
    __base__=_Head,
    __module__=__name__,
    **{name: (field.annotation, field) for name, field in Manifest.model_fields.items() if name != "inputs"},
    quarantined=(list[InputRecord], Field(description="the inputs whose status is not ok, in path order")),
)
