"""Why an answer came out as it did: every retrieved passage with its BM25, dense and fused scores, and the decision."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.policy.answering import Answer, RegionCheck
from assistant.policy.service import AskContext, PolicyService
from assistant.retrieval.search import Hit, SearchFilters

Decision = Literal["answered", "declined_other_region", "declined_below_threshold", "declined_no_sentence"]


class PassageTrace(BaseModel):
    """One retrieved passage with every score that went into its rank and whether the answerer used it."""

    rank: int
    doc_id: str
    title: str
    kind: str
    issuer: str
    validity: str
    heading: str
    text: str
    bm25: float | None = Field(description="BM25 score; None when the passage was not among BM25's candidates")
    bm25_rank: int | None
    dense: float | None = Field(description="cosine similarity; None without vectors or outside dense candidates")
    dense_rank: int | None
    fused: float = Field(description="reciprocal-rank fusion 1/(k+rank) summed over channels, stale documents × 0.85")
    coverage: float = Field(description="IDF-weighted share of the question's terms found in the passage")
    relevance: float = Field(description="0–1 relevance compared with the refusal threshold")
    kept: bool
    cited_as: int | None
    reason: str


class QuestionTrace(BaseModel):
    """The full path from question to answer, for the staff page."""

    question: str
    search_text: str = Field(description="what was searched: follow-ups are joined with the previous question")
    expanded_query: str
    term_weights: list[tuple[list[str], float]]
    dense_used: bool
    notices: list[str] = Field(default_factory=list, description="how the search was degraded (e.g. BM25 only "
                               "because the query encoder was busy)")
    rrf_k: int
    threshold: float
    passages: list[PassageTrace]
    decision: Decision
    explanation: str
    covered_regions: list[str] = Field(default_factory=list, description="the regions the corpus's documents "
                                       "cover (their `region` metadata): another region's question is declined")
    answer: Answer
    milliseconds: float


def trace_question(
    policy: PolicyService, question: str, filters: SearchFilters | None = None, history: list[str] | None = None
) -> QuestionTrace:
    """The staff view of `PolicyService.trace`: the same path users get, with every score and the decision."""
    trace = policy.trace(question, AskContext(filters=filters, history=history or []))
    answer, threshold = trace.answer, trace.threshold
    cited = {(c.doc_id, c.snippet): c.n for c in answer.citations}
    today = policy.settings.current_date()
    passages = [
        _passage(rank, hit, threshold, cited.get((hit.document.id, hit.chunk.text)), hit.document.validity(today))
        for rank, hit in enumerate(trace.result.hits, 1)
    ]
    region = policy.answerer.check_region(trace.search_text, trace.result.hits, threshold)
    decision, explanation = _decide(region, answer, passages, threshold)
    return QuestionTrace(
        question=trace.question, search_text=trace.search_text, expanded_query=trace.result.expanded_query,
        term_weights=[(group, round(weight, 3)) for group, weight in policy.searcher.term_weights(trace.search_text)],
        dense_used=trace.result.dense_used, notices=trace.result.notices, rrf_k=policy.searcher.rrf_k,
        threshold=threshold, passages=passages,
        decision=decision, explanation=explanation, covered_regions=list(region.covered), answer=answer,
        milliseconds=trace.milliseconds,
    )


def _passage(rank: int, hit: Hit, threshold: float, cited_as: int | None, validity: str) -> PassageTrace:
    kept = hit.relevance >= threshold
    if cited_as is not None:
        reason = f"相关度 {hit.relevance:.2f} ≥ 阈值 {threshold:.2f}，被引用为 [{cited_as}]"
    elif kept:
        reason = f"相关度 {hit.relevance:.2f} ≥ 阈值 {threshold:.2f}，可用，但没有句子入选答案"
    else:
        reason = f"相关度 {hit.relevance:.2f} < 阈值 {threshold:.2f}，不用于作答"
    return PassageTrace(
        rank=rank, doc_id=hit.document.id, title=hit.document.title, kind=hit.document.kind,
        issuer=hit.document.issuer, validity=validity, heading=" > ".join(hit.chunk.heading_path), text=hit.chunk.text,
        bm25=None if hit.bm25 is None else round(hit.bm25, 4), bm25_rank=hit.bm25_rank,
        dense=None if hit.dense is None else round(hit.dense, 4), dense_rank=hit.dense_rank,
        fused=round(hit.fused, 6), coverage=hit.coverage, relevance=hit.relevance, kept=kept, cited_as=cited_as,
        reason=reason,
    )


def _region_note(region: RegionCheck) -> str:
    """How the corpus's coverage decided (or did not decide) the question, in the staff's words."""
    covered = f"知识库收录的地区：{region.covered_text()}；"
    if region.reason == "outside":
        return (f"{covered}问题涉及{region.place}，不在收录范围内，且达到阈值的段落中没有问题里含“{region.place}”"
                f"的名称，因此拒答（不用其他地区的文件回答）。")
    if region.reason == "named_in_passages":
        return (f"{covered}问题提到{region.place}，但达到阈值的段落含有问题中的“{region.phrase}”，"
                f"问的是这一名称而不是{region.place}的政策，按普通问题作答。")
    if region.reason == "covered":
        return f"{covered}问题提到的{region.place}在收录范围内。"
    return ""


def _decide(region: RegionCheck, answer: Answer, passages: list[PassageTrace],
            threshold: float) -> tuple[Decision, str]:
    """The answerer's decision in the order it makes it (see OfflineAnswerer.answer_from)."""
    note = _region_note(region)
    if region.declines:
        return "declined_other_region", note
    decision, explanation = _by_relevance(answer, passages, threshold)
    return decision, note + explanation


def _by_relevance(answer: Answer, passages: list[PassageTrace], threshold: float) -> tuple[Decision, str]:
    best = max((p.relevance for p in passages), default=0.0)
    kept = [p for p in passages if p.kept]
    if not kept:
        return "declined_below_threshold", (
            f"没有段落的相关度达到阈值 {threshold:.2f}（最高 {best:.2f}），因此拒答，不凭空作答。"
        )
    if not answer.grounded:
        return "declined_no_sentence", (
            f"{len(kept)} 个段落达到阈值，但没有一句话（连同其标题）覆盖问题的主要内容，为避免拼凑片段而拒答。"
        )
    return "answered", (
        f"{len(kept)} 个段落达到阈值 {threshold:.2f}；答案引用了其中 {len(answer.citations)} 个段落的原句。"
    )
