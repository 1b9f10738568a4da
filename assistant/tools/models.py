"""Typed shapes the agent's tools share with the chat: calls, results, cards, and a session's state."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.resume.models import ParsedResume, ResumeFields


class ToolInput(BaseModel):
    """Base of every tool input: unknown fields (a path, a session or user id) are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")

class ToolCall(BaseModel):
    """One tool the engine decided to call, with its validated-later input."""

    tool: str
    input: dict[str, Any] = Field(default_factory=dict)

class ToolResult(BaseModel):
    """What a tool returned: `model_dump(mode="json")` of its output model."""

    tool: str
    output: dict[str, Any] = Field(default_factory=dict)

class DimensionBar(BaseModel):
    """One compared matching dimension, drawn as a bar on a job card."""

    label: str
    score: float

class JobBrief(BaseModel):
    """A matched posting as the chat shows and remembers it ("第二个岗位的薪资是多少？")."""

    rank: int
    id: str
    title: str
    company: str = ""
    district: str = ""
    salary: str = Field(description="e.g. 15-20K·14薪, or 面议.")
    education_min: str = ""
    years_min: float = 0.0
    skills_required: list[str] = Field(default_factory=list)
    score: float
    passed_hard_filters: bool = True
    strengths: list[str] = Field(default_factory=list, description="The best-matching dimensions with their evidence.")
    gaps: list[str] = Field(default_factory=list, description="The dimensions that cost the most score.")
    dimensions: list[DimensionBar] = Field(default_factory=list, description="The heaviest compared dimensions, 0–1.")

class TalentBrief(BaseModel):
    """A matched talent as the chat shows it (no contact data, no protected attributes)."""

    rank: int
    id: str
    name: str
    current_title: str = ""
    district: str = ""
    education: str = ""
    years_experience: float | None = None
    skills: list[str] = Field(default_factory=list)
    score: float
    strengths: list[str] = Field(default_factory=list)

class SessionState(BaseModel):
    """What a session remembers between turns; tools read and update only this."""

    resume_id: str | None = Field(default=None, description="SHA-1 of the uploaded bytes (a reference, not a path).")
    resume_filename: str | None = None
    resume: ParsedResume | None = Field(default=None, description="The parsed text of the session's own upload.")
    resume_fields: ResumeFields | None = Field(
        default=None, description="The fields read from that upload once, as of the configured date.")
    target_job: str | None = None
    last_jobs: list[JobBrief] = Field(default_factory=list)
    last_talents: list[TalentBrief] = Field(default_factory=list)
    last_match: dict[str, Any] | None = Field(default=None, description="Input of the last match_jobs/match_talents.")
    last_match_tool: str | None = None
    last_region: str | None = None
    last_policy_question: str | None = None
    policy_history: list[str] = Field(default_factory=list, description="Standalone policy questions, oldest first.")
    last_tools: list[str] = Field(default_factory=list)
