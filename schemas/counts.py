"""Counts: cardinal quantities (EXTRACTION.md §2)."""

from pydantic import Field

from schemas.evidence import Evidence
from schemas.types import RowId


class Count(Evidence):
    count_id: RowId = Field(description="stable id: article, surface text and its occurrence number")
    value: float = Field(description="the number, multipliers applied, money in yuan, ranges at the lower bound")
    unit: str = Field(description="measure word after the number, '元' for money, '%' for percent, '' for none")
    entity: str = Field(description="the counted noun as written, '' when none")
    approximate: bool = Field(description="marked 余/多/近/约/超过/逾/左右/上万 or a range")
