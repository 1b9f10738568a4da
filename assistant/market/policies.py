"""Policies and project calls a résumé's owner may apply for: each document's conditions evaluated against the facts
the résumé states (EligibilityService), with the verdict and the cited passage it rests on."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.eligibility.models import Verdict
from assistant.eligibility.service import EligibilityService
from assistant.errors import AssistantError
from assistant.resume.service import ResumeDocument

MAX_POLICIES = 6


class PolicyCitation(BaseModel):
    """One policy that may apply, with its verdict, why, and the passage of its conditions."""

    n: int
    doc_id: str
    title: str
    kind: str
    issuer: str
    doc_number: str
    validity: str
    snippet: str = Field(description="The document's own passage that states its conditions.")
    reason: str = Field(description="The verdict's summary (which conditions are met, which are open).")
    verdict: Verdict
    questions: list[str] = Field(default_factory=list, description="What to settle the open conditions.")


def eligible_policies(eligibility: EligibilityService,
                      document: ResumeDocument) -> tuple[list[PolicyCitation], str | None]:
    """Documents that evaluate to 符合 or 可能符合 for the résumé's facts, best first."""
    try:
        facts = eligibility.facts_from_resume(document)
        report = eligibility.evaluate(facts)
        metas = {meta.id: meta for meta, _ in eligibility.documents()}
    except AssistantError as exc:
        return [], f"政策条件暂不可用：{exc}"
    today = eligibility.today()
    found: list[PolicyCitation] = []
    for verdict in report.verdicts:
        if verdict.verdict == "不符合" or not verdict.citations or len(found) >= MAX_POLICIES:
            continue
        meta = metas[verdict.doc_id]
        found.append(PolicyCitation(
            n=len(found) + 1, doc_id=verdict.doc_id, title=verdict.title, kind=verdict.kind, issuer=meta.issuer,
            doc_number=meta.doc_number, validity=meta.validity(today), snippet=verdict.citations[0].passage[:300],
            reason=f"{verdict.verdict}：{verdict.summary}", verdict=verdict.verdict, questions=verdict.questions[:3]))
    note = None if found else "按简历中的信息，知识库里没有找到您可能符合条件的有效政策或申报通知。"
    return found, note
