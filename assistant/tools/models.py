"""Typed shapes the agent's tools share with the chat: calls, results, cards, and a session's state."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.jobs.explain import JobCard, TalentCard
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


class JobBrief(JobCard):
    """A matched posting as the chat shows and remembers it ("第二个岗位的薪资是多少？"): its card and its rank."""

    rank: int


class TalentBrief(TalentCard):
    """A matched talent as the chat shows it (no contact data, no protected attributes): its card and its rank."""

    rank: int


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
    eligibility_statements: list[str] = Field(
        default_factory=list, description="What the user said about themselves for check_eligibility, oldest first.")
    last_verdicts: dict[str, str] = Field(
        default_factory=dict, description="check_eligibility's last verdict per document (a follow-up shows changes).")
