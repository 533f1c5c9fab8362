"""Models that flow between stages (not dataset tables): raw input, cleaned document, batch result."""

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from schemas.article import Article
from schemas.counts import Count
from schemas.events import Event
from schemas.initiatives import Initiative
from schemas.manifest import InputRecord
from schemas.persons import Person
from schemas.types import SourceField


class PageMeta(BaseModel):
    """Metadata a page or corpus record states outside its body (HTML meta, JSONL fields)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str | None = None
    published_date: dt.date | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    extra: dict[str, str] = Field(default_factory=dict)


class RawDocument(BaseModel):
    """One decoded input: a file, or one record of a JSONL corpus."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    article_id: str
    source_path: str
    sha256: str
    n_bytes: int
    encoding: str
    input_format: str  # txt | html | jsonl | json
    text: str
    meta: PageMeta = PageMeta()


class Sentence(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    index: int
    start: int
    end: int
    text: str
    field: SourceField = "text"


class Document(BaseModel):
    """A cleaned article: the Article row plus its sentences (offsets into article.text / byline)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    article: Article
    sentences: tuple[Sentence, ...]
    byline_sentences: tuple[Sentence, ...] = ()
    title_sentences: tuple[Sentence, ...] = ()


class IngestedBatch(BaseModel):
    """What the ingest task returns: decoded inputs and the records of those that failed."""

    model_config = ConfigDict(extra="forbid")

    raws: list[RawDocument] = Field(default_factory=list)
    bad: list[InputRecord] = Field(default_factory=list)


class CleanedBatch(BaseModel):
    """What the clean task returns: documents, and an input record for every input of the batch."""

    model_config = ConfigDict(extra="forbid")

    docs: list[Document] = Field(default_factory=list)
    inputs: list[InputRecord] = Field(default_factory=list)


class Batch(BaseModel):
    """What one batch task returns: rows for every table, and the input records."""

    model_config = ConfigDict(extra="forbid")

    inputs: list[InputRecord] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)
    counts: list[Count] = Field(default_factory=list)
    initiatives: list[Initiative] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    persons: list[Person] = Field(default_factory=list)
