"""Events: dated happenings (EXTRACTION.md §4)."""

from pydantic import BaseModel, ConfigDict, Field

from schemas.evidence import Evidence
from schemas.types import EventType, PartialDate, RowId


class Participant(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    title: str


class Event(Evidence):
    """Evidence text is the date expression; the trigger lies in the same sentence."""

    event_id: RowId = Field(description="stable id: article, date expression, trigger and occurrence number")
    date: PartialDate | None = Field(description="YYYY-MM-DD, YYYY-MM or XXXX-MM-DD; null when undated")
    date_text: str = Field(description="the date expression as written, e.g. 11月24日下午")
    event_type: EventType
    trigger: str = Field(description="the verb or noun that states the event: 召开, 宣讲, 视察")
    name: str = Field(description="the event's own name when it has one, else ''")
    participants: list[Participant] = Field(description="people the sentence names as taking part")
    year_source: str = Field(description="where the year came from: explicit, published_date, sentence, relative, unknown")
