"""Ranked candidates for an employer's posting: opted-in registered talents and the library's demo records."""

from __future__ import annotations

import contextlib
import re

from pydantic import BaseModel

from assistant.errors import IndexNotReadyError, InvalidInputError
from assistant.jobs.explain import explain
from assistant.jobs.matching import MatchResult
from assistant.jobs.models import EDUCATION_NAMES, JobPosting, TalentProfile
from assistant.jobs.service import JobService
from assistant.market.models import Candidate, Contact, Invitation, SavedProfile
from assistant.market.store import MAX_ID
from assistant.privacy import redact_personal

REGISTERED_PREFIX = "user:"
# The only spellings of a candidate: `user:<id>` (no sign, space or leading zero) and the library's `T000001`.
_REGISTERED_REF = re.compile(r"user:([1-9][0-9]{0,18})")
_LIBRARY_REF = re.compile(r"T(?:[0-9]{6}|[1-9][0-9]{6,11})")


def parse_talent_ref(ref: str) -> int | None:
    """The user id of a registered talent's reference, None for a library talent id; InvalidInputError for any
    other spelling, so that one talent has one reference (`user:05`, `user: 5`, `user:5 ` are refused)."""
    registered = _REGISTERED_REF.fullmatch(ref)
    if registered is not None and int(registered.group(1)) <= MAX_ID:
        return int(registered.group(1))
    if registered is None and _LIBRARY_REF.fullmatch(ref):
        return None
    raise InvalidInputError(f"无效的候选人编号：{ref[:80]}（注册人才为 user:<编号>，演示记录为 T 加 6 位数字）")


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
    hidden = [] if accepted else [contact.name]
    # Evidence never carries contact data, accepted or not: once accepted the contact comes from the saved profile.
    dimensions = [d.model_copy(update={"evidence": mask_text(d.evidence, hidden)}) for d in ranked.result.dimensions]
    strengths, gaps = explain(ranked.result.model_copy(update={"dimensions": dimensions}))
    return Candidate(
        ref=ranked.ref, source="registered" if saved is not None else "demo",
        display_name=contact.name if accepted else mask_name(contact.name or (saved.display_name if saved else "")),
        headline=mask_text(headline(profile), hidden), skills=profile.skills[:10], score=ranked.result.score,
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


def mask_text(text: str, names: list[str]) -> str:
    """Text an employer sees before consent: personal data redacted (`redact_personal`), and the talent's name."""
    text = redact_personal(text)
    for value in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(value, "***")
    return text
