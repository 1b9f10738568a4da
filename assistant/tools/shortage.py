"""The shortage tool: which job functions and skills Chongqing's market is short of, from the insights service."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.insights.chat import ShortageQuery
from assistant.tools.base import ToolContext
from assistant.tools.models import ToolInput


class TalentShortageInput(ToolInput):
    """Which slice of Chongqing's job market to rank by shortage."""

    chain: str | None = Field(default=None, max_length=40, description="Industry chain, e.g. 新能源汽车 or 动力电池.")
    district: str | None = Field(default=None, max_length=20)
    function: str | None = Field(default=None, max_length=40, description="Job function, e.g. 三电研发.")
    focus: Literal["all", "functions", "skills"] = Field(
        default="all", description="What was asked about: short job functions, short skills, or both.")
    top_k: int = Field(default=10, ge=1, le=30)


class TalentShortageOutput(BaseModel):
    """Shortage ranking from the insights module, with its data date and method."""

    data_date: str
    method: str
    rows: list[dict[str, Any]]
    summary: str


def talent_shortage(ctx: ToolContext, inp: TalentShortageInput) -> TalentShortageOutput:
    """Rank shortage functions/skills with the insights service (the numbers of /insights)."""
    data = ctx.insights.shortage(ShortageQuery(**inp.model_dump())).model_dump(mode="json")
    return TalentShortageOutput(data_date=str(data.get("data_date", "")), method=str(data.get("method", "")),
                                rows=list(data.get("rows", [])), summary=str(data.get("summary", "")))
