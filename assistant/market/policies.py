"""Policies a résumé's owner may be eligible for, found in the knowledge base and cited passage by passage."""

from __future__ import annotations

from pydantic import BaseModel

from assistant.errors import AssistantError
from assistant.jobs.models import TalentProfile
from assistant.policy.service import PolicyService
from assistant.resume.models import ResumeFields
from assistant.retrieval.search import SearchFilters

MAX_POLICIES = 4
KINDS = ("policy", "announcement")  # policies and project calls (申报) one can apply to; not event notices
_DEGREE_QUERIES = {
    "博士后": "博士后 人才 资助 补贴",
    "博士": "博士 人才 引进 补贴",
    "硕士": "硕士研究生 人才 补贴",
    "本科": "本科毕业生 人才 补贴",
    "大专": "高校毕业生 就业 补贴",
}


class PolicyCitation(BaseModel):
    """One cited passage of a policy that may apply, with why it was looked up."""

    n: int
    doc_id: str
    title: str
    kind: str
    issuer: str
    doc_number: str
    validity: str
    snippet: str
    relevance: float
    reason: str


def policy_queries(fields: ResumeFields, profile: TalentProfile) -> list[tuple[str, str]]:
    """(query, reason) pairs built only from facts the résumé states."""
    queries: list[tuple[str, str]] = []
    if fields.highest_degree in _DEGREE_QUERIES:
        queries.append((_DEGREE_QUERIES[fields.highest_degree], f"你的最高学历：{fields.highest_degree}"))
    if fields.education and fields.total_years < 2:
        queries.append(
            ("高校毕业生 青年人才 就业 创业 补贴", f"工作年限约 {fields.total_years:g} 年（青年人才、毕业生类政策）")
        )
    if profile.industry:
        queries.append((f"{profile.industry} 人才 政策 支持", f"你的行业方向：{profile.industry}"))
    if not queries:
        queries.append(("人才 引进 补贴 申报条件", "通用人才政策"))
    return queries


def eligible_policies(policy: PolicyService, fields: ResumeFields,
                      profile: TalentProfile) -> tuple[list[PolicyCitation], str | None]:
    """Passages of valid documents that answer the résumé's queries above the refusal threshold, one per document."""
    threshold = policy.settings.refusal_threshold
    today = policy.settings.current_date()
    found: dict[str, PolicyCitation] = {}
    try:
        for query, reason in policy_queries(fields, profile):
            result = policy.retrieve(query, SearchFilters(kinds=list(KINDS), active_only=True), top_k=5)
            for hit in result.hits:
                if hit.relevance < threshold or hit.document.id in found:
                    continue
                found[hit.document.id] = PolicyCitation(
                    n=len(found) + 1, doc_id=hit.document.id, title=hit.document.title, kind=hit.document.kind,
                    issuer=hit.document.issuer, doc_number=hit.document.doc_number,
                    validity=hit.document.validity(today), snippet=hit.chunk.text[:300],
                    relevance=round(hit.relevance, 3), reason=reason,
                )
            if len(found) >= MAX_POLICIES:
                break
    except AssistantError as exc:
        return [], f"政策检索暂不可用：{exc}"
    note = None if found else "知识库中没有找到与你的学历、年限或行业明确相关的有效政策。"
    return list(found.values())[:MAX_POLICIES], note
