"""Persons: named real people with their titles (EXTRACTION.md §5)."""

from pydantic import Field

from schemas.evidence import Evidence
from schemas.types import RowId


class Person(Evidence):
    """One row per person per article; evidence is the mention with the fullest title."""

    person_id: RowId = Field(description="the same for the same name across articles")
    name: str
    title: str = Field(description="the fullest title the article gives, as written, '' when none")
    organization: str = Field(description="the organisation the title belongs to, where it can be told, else ''")
