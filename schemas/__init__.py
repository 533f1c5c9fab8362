"""Pydantic models of the dataset: the single source of truth for Parquet and JSON Schema.

DATASET.md (the dataset contract) names the tables and required columns; these
models add the columns users asked for. ``schemas.arrow`` derives the Arrow
schema from them and ``python -m pipeline schema`` exports JSON Schema files.
"""

from schemas.article import Article
from schemas.counts import Count
from schemas.events import Event, Participant
from schemas.evidence import Evidence
from schemas.initiatives import Initiative
from schemas.manifest import InputRecord, Manifest, TableRecord
from schemas.persons import Person

#: The tables' schema. 1.1.0: source_field may be 'title' (an initiative only the headline names). A change of
#: it changes every version id (the rows are read against another schema), and `pipeline diff` shows it.
SCHEMA_VERSION = "1.1.0"

#: Table name -> row model, in the order tables are written and documented.
TABLES: dict[str, type] = {
    "articles": Article,
    "counts": Count,
    "initiatives": Initiative,
    "events": Event,
    "persons": Person,
}

#: Columns that identify a row of each table across versions (used by diff).
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id",),
    "counts": ("count_id",),
    "initiatives": ("article_id", "initiative_id"),
    "events": ("event_id",),
    "persons": ("article_id", "person_id"),
}

__all__ = [
    "SCHEMA_VERSION", "TABLES", "TABLE_KEYS", "Article", "Count", "Event", "Evidence",
    "Initiative", "InputRecord", "Manifest", "Participant", "Person", "TableRecord",
]
