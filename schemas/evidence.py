"""Evidence fields shared by every extraction table (DATASET.md, "Tables")."""

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.types import ArticleId, SourceField


class Evidence(BaseModel):
    """Where a row came from: ``article[source_field][char_start:char_end] == text``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    article_id: ArticleId
    sentence_index: int = Field(ge=0, description="index of the sentence in the article's sentence list")
    char_start: int = Field(ge=0, description="start offset into articles.text (or articles.byline, see source_field)")
    char_end: int = Field(ge=1, description="end offset (exclusive)")
    sentence: str = Field(description="the sentence the row was read from")
    text: str = Field(min_length=1, description="the surface span, equal to the article text at [char_start:char_end]")
    method: str = Field(description="the rule or model that produced the row, e.g. 'counts.measure'")
    source_field: SourceField = Field(
        default="text",
        description="the articles column the offsets index: 'text' (body), 'byline' (credits) or 'title' (headline)",
    )

    @model_validator(mode="after")
    def _span_is_ordered(self):
        if self.char_start >= self.char_end:
            raise ValueError(f"char_start {self.char_start} must be < char_end {self.char_end}")
        if self.char_end - self.char_start != len(self.text):
            raise ValueError("char_end - char_start must equal len(text)")
        return self
