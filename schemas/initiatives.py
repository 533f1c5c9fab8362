"""Initiatives: named programmes and brands (EXTRACTION.md §3)."""

from pydantic import Field

from schemas.evidence import Evidence
from schemas.types import InitiativeKind, RowId


class Initiative(Evidence):
    """One row per initiative per article; evidence is its first mention."""

    initiative_id: RowId = Field(description="the same for the same initiative name across articles")
    name: str = Field(description="the fullest name the article uses, without quotes")
    aliases: list[str] = Field(description="other forms that refer to it in this article")
    kind: InitiativeKind
    owner: str = Field(description="the body or area that runs it, as written, '' when unknown")
    mentions: int = Field(ge=1, description="how often the article names it (any alias)")
