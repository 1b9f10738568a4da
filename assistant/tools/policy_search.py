"""The policy tool: a question searched and answered by PolicyService, with the passages an answer must cite."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.eligibility.models import PersonFacts
from assistant.eligibility.service import EligibilityService
from assistant.market.service import TalentMarket
from assistant.policy.answering import Citation
from assistant.policy.context import ContextSource, PersonContext, PersonReader, context_from_facts
from assistant.policy.service import AskContext
from assistant.retrieval.search import SearchFilters
from assistant.tools.base import ToolContext
from assistant.tools.models import ToolInput

MAX_POLICY_HISTORY = 10


class SearchPoliciesInput(ToolInput):
    """A standalone policy question."""

    question: str = Field(min_length=1, max_length=2000, description="A complete question, e.g. 博士后来渝有哪些补贴？")
    kinds: list[Literal["policy", "notice", "announcement"]] = Field(
        default_factory=list, description="Only these document kinds; empty = all.")
    active_only: bool = Field(default=False, description="Leave out expired, closed or superseded documents.")


class Passage(BaseModel):
    """A numbered source passage; answers cite it as [n]."""

    n: int
    doc_id: str
    title: str
    kind: str
    text: str
    score: float


class SearchPoliciesOutput(BaseModel):
    """The offline cited answer and the numbered passages it (and any other answer) must cite."""

    question: str
    answer: str
    grounded: bool
    passages: list[Passage]
    citations: list[Citation]


def person_context(facts: PersonFacts, source: ContextSource, evidence: str = "") -> PersonContext:
    """The policy search's person context from eligibility facts (résumé, statements, profile)."""
    return context_from_facts({name: fact.value for name, fact in facts.known().items()}, source, evidence)


def person_reader(eligibility: EligibilityService) -> PersonReader:
    """PolicyService's reader of a clause about the speaker, on the eligibility parser."""
    return lambda clause: person_context(eligibility.facts_from_text(clause), "stated", clause)


def profile_person(eligibility: EligibilityService, market: TalentMarket, user_id: int) -> PersonContext | None:
    """A logged-in talent's saved profile as a person context: the facts they saved on the policy page over those
    of their saved résumé profile (the eligibility page reads the same); None when neither says anything."""
    saved = market.profile_view(user_id).profile
    facts = eligibility.facts_from_profile(saved.profile) if saved is not None else PersonFacts()
    subscription = eligibility.subscription(user_id)
    if subscription is not None:
        facts = facts.merged(subscription.facts)
    context = person_context(facts, "profile", "求职档案")
    return None if context.is_empty() else context


def session_person(ctx: ToolContext) -> PersonContext | None:
    """This session's uploaded résumé as a person context (what the question says is laid over it later)."""
    if ctx.eligibility is None or ctx.state.resume is None:
        return None
    document = ctx.resumes.document(ctx.state.resume, fields=ctx.state.resume_fields)
    context = person_context(ctx.eligibility.facts_from_resume(document), "from_resume", "简历")
    return None if context.is_empty() else context


def search_policies(ctx: ToolContext, inp: SearchPoliciesInput) -> SearchPoliciesOutput:
    """Search the policy corpus and compose the offline cited answer; passages are numbered as the answer cites them.

    The question goes through `PolicyService.trace` with this session's earlier policy questions as history, so the
    chat answers exactly as `POST /api/ask`, `assistant ask` and the staff trace do.
    """
    filters = (SearchFilters(kinds=list(inp.kinds), active_only=inp.active_only)
               if inp.kinds or inp.active_only else None)
    history = ctx.state.policy_history if "search_policies" in ctx.state.last_tools else []
    trace = ctx.policy.trace(inp.question, AskContext(history=history, filters=filters, person=session_person(ctx)))
    answer = trace.answer
    passages = [Passage(n=c.n, doc_id=c.doc_id, title=c.title, kind=c.kind, text=c.snippet, score=round(c.score, 4))
                for c in answer.citations]
    # A question about a region the corpus does not cover gets no passages to answer from.
    if not ctx.policy.answerer.check_region(trace.search_text, trace.result.hits, trace.threshold).declines:
        cited = {c.snippet for c in answer.citations}
        for hit in trace.result.hits:
            if hit.relevance >= trace.threshold and hit.chunk.text not in cited:
                cited.add(hit.chunk.text)
                passages.append(Passage(n=len(passages) + 1, doc_id=hit.document.id, title=hit.document.title,
                                        kind=hit.document.kind, text=hit.chunk.text, score=round(hit.relevance, 4)))
    ctx.state.last_policy_question = trace.search_text
    ctx.state.policy_history = [*history, trace.question][-MAX_POLICY_HISTORY:]
    return SearchPoliciesOutput(question=trace.search_text, answer=answer.answer, grounded=answer.grounded,
                                passages=passages, citations=answer.citations)
