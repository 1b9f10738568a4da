"""What every agent tool shares: the context a turn runs in and the tool descriptor engines see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from assistant.config import Settings
from assistant.eligibility.service import EligibilityService
from assistant.insights.service import InsightService
from assistant.jobs.service import JobService
from assistant.policy.service import PolicyService
from assistant.resume.service import ResumeService
from assistant.skills.service import SkillService
from assistant.tools.models import SessionState


@dataclass
class ToolContext:
    """Built per turn by the chat: the shared services and THIS session's state, nothing else."""

    policy: PolicyService
    jobs: JobService
    skills: SkillService
    resumes: ResumeService
    insights: InsightService
    settings: Settings
    state: SessionState
    eligibility: EligibilityService | None = None  # conditions and verdicts (check_eligibility)


@dataclass(frozen=True)
class ChatTool:
    """A tool as engines see it: name, a description for the model, typed input/output, the function."""

    name: str
    description: str
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    run: Callable[[ToolContext, Any], BaseModel]
