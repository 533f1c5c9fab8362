"""Reusable constrained types."""

from typing import Annotated, Literal

from pydantic import Field

ArticleId = Annotated[str, Field(pattern=r"^[0-9a-f]{16}$", description="sha256 of the raw input bytes, first 16 hex chars")]
RowId = Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]
PartialDate = Annotated[
    str,
    Field(pattern=r"^(\d{4}|XXXX)-\d{2}(-\d{2})?$", description="YYYY-MM-DD, YYYY-MM or XXXX-MM-DD when the year is unknown"),
]
Script = Literal["simplified", "traditional", "traditional_pinyin"]
InitiativeKind = Literal["project", "plan", "campaign", "brand", "platform", "mechanism", "institution", "policy", "other"]
EventType = Literal["meeting", "speech", "inspection", "ceremony", "launch", "incident", "other"]
SourceField = Literal["text", "byline", "title"]
