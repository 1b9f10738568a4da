"""Typed records of the talent market: saved profiles, employer postings, invitations, candidate cards."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from assistant.jobs.fairness import PostingCheck
from assistant.jobs.matching import DimensionScore
from assistant.jobs.models import JobPosting, TalentProfile

InvitationStatus = Literal["pending", "accepted", "declined"]
CandidateSource = Literal["registered", "demo"]


class Contact(BaseModel):
    """How an employer reaches a talent; shown only after the talent accepts an invitation."""

    name: str = ""
    phones: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)


class SavedProfile(BaseModel):
    """A registered talent's profile built from their résumé, and whether they want to be recommended."""

    user_id: int
    display_name: str
    profile: TalentProfile
    contact: Contact
    resume_source: str
    opt_in: bool = False
    updated: dt.datetime


class MarketPosting(BaseModel):
    """A job an employer posted through the web, with what the posting check found when it was published."""

    id: int
    employer_id: int
    company: str
    job: JobPosting
    check: PostingCheck
    acknowledged: list[str] = Field(default_factory=list, description="Issue kinds the employer confirmed as needed.")
    created: dt.datetime


class Invitation(BaseModel):
    """An interview invitation (面试邀约) from an employer's posting to one candidate."""

    id: int
    posting_id: int
    employer_id: int
    company: str
    job_title: str
    talent_ref: str = Field(description="`user:<id>` for a registered talent, the library id for a demo record.")
    talent_user_id: int | None = None
    message: str = ""
    status: InvitationStatus = "pending"
    created: dt.datetime
    decided: dt.datetime | None = None


class Candidate(BaseModel):
    """One ranked candidate as an employer sees it: no contact data unless an accepted invitation allows it."""

    ref: str
    source: CandidateSource
    display_name: str = Field(description="Masked (e.g. 林**) until the talent accepts an invitation.")
    headline: str = Field(description="Current or desired title, education, years — nothing protected.")
    skills: list[str]
    score: float
    passed_hard_filters: bool
    failed_filters: list[str] = Field(default_factory=list)
    dimensions: list[DimensionScore]
    strengths: list[str] = Field(default_factory=list, description="The dimensions that fit best, with evidence.")
    gaps: list[str] = Field(default_factory=list, description="The dimensions that cost the most score.")
    invitation: Invitation | None = None
    contact: Contact | None = None
