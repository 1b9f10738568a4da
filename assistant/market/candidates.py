"""Ranked candidates for an employer's posting: opted-in registered talents and the library's demo records."""

from __future__ import annotations

import contextlib

from pydantic import BaseModel

from assistant.errors import IndexNotReadyError
from assistant.jobs.explain import explain
from assistant.jobs.matching import MatchResult
from assistant.jobs.models import EDUCATION_NAMES, JobPosting, TalentProfile
from assistant.jobs.service import JobService
from assistant.market.models import Candidate, Contact, Invitation, SavedProfile

REGISTERED_PREFIX = "user:"


class _Ranked(BaseModel):
    ref: str
    result: MatchResult
    profile: TalentProfile
    saved: SavedProfile | None = None


def rank_candidates(job: JobPosting, registered: list[SavedProfile], jobs: JobService,
                    invitations: dict[str, Invitation], top_k: int = 10) -> list[Candidate]:
    """The best `top_k` candidates passing the hard filters; contact data only where an invitation was accepted."""
    ranked: list[_Ranked] = []
    for saved in registered:
        result = jobs.explain_pair(job, saved.profile)
        if result.passed_hard_filters:
            ranked.append(_Ranked(ref=f"{REGISTERED_PREFIX}{saved.user_id}", result=result, profile=saved.profile,
                                  saved=saved))
    with contextlib.suppress(IndexNotReadyError):  # without a library, registered talents only
        ranked += [_Ranked(ref=r.id, result=r, profile=talent) for r, talent in jobs.talents_for(job, top_k)]
    # registered talents first among equal scores: they can answer an invitation
    ranked.sort(key=lambda r: (-r.result.score, r.saved is None, r.ref))
    return [_card(r, invitations.get(r.ref)) for r in ranked[:top_k]]


def _card(ranked: _Ranked, invitation: Invitation | None) -> Candidate:
    profile, saved = ranked.profile, ranked.saved
    accepted = invitation is not None and invitation.status == "accepted" and saved is not None
    contact = saved.contact if saved is not None else Contact(name=profile.name)
    hidden = [] if accepted else [v for v in (contact.name, *contact.phones, *contact.emails) if v]
    dimensions = [d.model_copy(update={"evidence": _scrub(d.evidence, hidden)}) for d in ranked.result.dimensions]
    strengths, gaps = explain(ranked.result.model_copy(update={"dimensions": dimensions}))
    return Candidate(
        ref=ranked.ref, source="registered" if saved is not None else "demo",
        display_name=contact.name if accepted else mask_name(contact.name or (saved.display_name if saved else "")),
        headline=headline(profile), skills=profile.skills[:10], score=ranked.result.score,
        passed_hard_filters=ranked.result.passed_hard_filters, failed_filters=ranked.result.failed_filters,
        dimensions=dimensions, strengths=strengths, gaps=gaps, invitation=invitation,
        contact=contact if accepted else None,
    )


def mask_name(name: str) -> str:
    """The family name only (林**), so that a candidate cannot be identified before accepting."""
    return f"{name[0]}**" if name else "候选人"


def headline(profile: TalentProfile) -> str:
    """Title, education and experience: what an employer reads first; nothing protected."""
    title = profile.current_title or next(iter(profile.desired_titles), "") or "求职者"
    parts = [title]
    if profile.education is not None:
        parts.append(EDUCATION_NAMES[profile.education])
    if profile.major:
        parts.append(profile.major)
    if profile.years_experience is not None:
        parts.append(f"{profile.years_experience:g} 年经验")
    if profile.district:
        parts.append(profile.district)
    return " · ".join(parts)


def _scrub(text: str, hidden: list[str]) -> str:
    for value in sorted(hidden, key=len, reverse=True):
        text = text.replace(value, "***")
    return text
