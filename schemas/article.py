"""One row per input article (DATASET.md, "articles")."""

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from schemas.types import ArticleId, Script


class Article(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    article_id: ArticleId
    source_path: str = Field(description="path relative to the input root; 'file.jsonl#id' for JSONL corpora")
    title: str | None = Field(description="the headline, null when the page has none")
    published_date: dt.date | None = Field(description="publication date stated by the page, never invented")
    publisher: str | None = Field(description="the outlet or site owner")
    authors: list[str] = Field(description="reporters and authors from byline and author notes")
    province: str | None = Field(description="province-level unit of the district")
    city: str | None = Field(description="prefecture-level unit of the district")
    district: str | None = Field(description="county-level unit the article is mainly about")
    script: Script = Field(description="script of the raw text: simplified, traditional, traditional_pinyin")
    text: str = Field(description="cleaned, simplified body text; all extraction offsets index into it")
    n_chars: int = Field(ge=0, description="len(text)")
    n_sentences: int = Field(ge=0, description="number of sentences of text")
    byline: str = Field(default="", description="credit and byline lines removed from the body (offsets of byline persons index into it)")
    encoding: str = Field(description="detected encoding of the raw bytes")
    input_format: str = Field(description="txt, html, jsonl or json")
    extra: str = Field(default="{}", description="JSON object of extra metadata fields from JSONL inputs")
