"""Run a question set through the same search and answerer users get, and measure it."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

from pydantic import BaseModel, Field

from assistant.evaluation.golden import GoldenQuestion
from assistant.evaluation.metrics import (
    cited_sentences,
    facts_found,
    hit_at_k,
    is_supported,
    percentile,
    reciprocal_rank,
    refusal_scores,
)
from assistant.policy.answering import Citation
from assistant.policy.service import AskContext, PolicyService
from assistant.retrieval.search import SearchResult

RANK_DEPTH = 10
EXPIRY_WORDS = ("截止", "失效", "过期")


class QuestionResult(BaseModel):
    """What happened to one question, with the reasons it failed (if it did)."""

    id: str
    question: str
    kind: str
    answerable: bool
    expected_docs: list[str]
    ranked_docs: list[str]
    rank: int | None
    top_relevance: float
    grounded: bool
    answer: str
    citations: list[Citation]
    correct: bool
    cited: int
    supported: int
    latency_ms: float
    failures: list[str] = Field(default_factory=list)


class EvalSummary(BaseModel):
    """The headline numbers of a run."""

    questions: int
    answerable: int
    hit_at_1: float
    hit_at_5: float
    hit_at_10: float
    mrr_at_10: float
    hit_curve: list[float]
    accuracy: float
    refusal_precision: float
    refusal_recall: float
    refusal_f1: float
    citation_support: float
    latency_p50_ms: float
    latency_p95_ms: float
    threshold: float
    accuracy_by_kind: dict[str, float]


class EvalRun(BaseModel):
    """A complete run: summary plus every question's detail."""

    set_name: str
    summary: EvalSummary
    results: list[QuestionResult]


def run_questions(
    assistant: PolicyService,
    questions: list[GoldenQuestion],
    set_name: str = "golden",
    progress: Callable[[int, int], None] | None = None,
) -> tuple[EvalRun, list[SearchResult]]:
    """Ask every question; returns the run and the raw retrieval results (reused by calibration)."""
    results: list[QuestionResult] = []
    retrievals: list[SearchResult] = []
    for done, question in enumerate(questions, 1):
        started = time.perf_counter()
        trace = assistant.trace(question.question, AskContext(history=question.history))
        latency = (time.perf_counter() - started) * 1000
        answer = trace.answer
        ranking = assistant.retrieve(trace.search_text, top_k=max(RANK_DEPTH, assistant.settings.top_k))
        retrievals.append(trace.result)
        results.append(judge(question, ranking, answer.answer, answer.grounded, answer.citations, latency))
        if progress:
            progress(done, len(questions))
    summary = summarise(results, assistant.answerer.threshold)
    return EvalRun(set_name=set_name, summary=summary, results=results), retrievals


def judge(
    question: GoldenQuestion,
    retrieval: SearchResult,
    answer: str,
    grounded: bool,
    citations: list[Citation],
    latency_ms: float,
) -> QuestionResult:
    """Score one answer against its golden entry."""
    ranked = list(dict.fromkeys(hit.document.id for hit in retrieval.hits))[:RANK_DEPTH]
    rr = reciprocal_rank(ranked, question.expected_docs, RANK_DEPTH)
    snippets = {c.n: c.snippet for c in citations}
    pairs = cited_sentences(answer) if grounded else []
    supported = sum(1 for sentence, n in pairs if n in snippets and is_supported(sentence, snippets[n]))
    failures: list[str] = []
    if question.answerable:
        if rr == 0 and question.expected_docs:
            failures.append("检索未命中期望文件")
        correct = grounded and _states_facts(question, answer, citations, failures)
        if not grounded:
            failures.append("错误拒答")
        if correct and "expired" in question.flags and not any(w in answer for w in EXPIRY_WORDS):
            correct = False
            failures.append("未提示已过期/截止")
        if correct and "superseded" in question.flags and "取代" not in answer:
            correct = False
            failures.append("未提示已被新政策取代")
    else:
        correct = not grounded
        if grounded:
            failures.append("应拒答却作答")
    wrong = [fact for fact in question.wrong_facts if fact in answer]
    if wrong and correct:
        correct = False
        failures.append("答的是其他人群的规定：" + "、".join(wrong))
    if supported < len(pairs):
        failures.append(f"{len(pairs) - supported} 句引用不被原文支持")
    return QuestionResult(
        id=question.id, question=question.question, kind=question.kind, answerable=question.answerable,
        expected_docs=question.expected_docs, ranked_docs=ranked, rank=round(1 / rr) if rr else None,
        top_relevance=retrieval.hits[0].relevance if retrieval.hits else 0.0, grounded=grounded, answer=answer,
        citations=citations, correct=correct, cited=len(pairs), supported=supported, latency_ms=latency_ms,
        failures=failures,
    )


def _states_facts(question: GoldenQuestion, answer: str, citations: list[Citation], failures: list[str]) -> bool:
    """The answer contains an expected fact and cites a passage that contains it."""
    if not question.facts:
        return True
    found = facts_found(answer, question.facts, question.all_facts)
    if not found:
        failures.append("答案缺少期望事实：" + " / ".join(question.facts))
        return False
    backed = [fact for fact in found if any(fact in c.snippet for c in citations)]
    if not backed or (question.all_facts and len(backed) < len(found)):
        failures.append("事实不在所引用的段落中")
        return False
    return True


def summarise(results: list[QuestionResult], threshold: float) -> EvalSummary:
    """Aggregate per-question results into the headline metrics."""
    answerable = [r for r in results if r.answerable and r.expected_docs]
    ranks = [r.ranked_docs for r in answerable]
    curve = [_mean([hit_at_k(d, r.expected_docs, k) for d, r in zip(ranks, answerable, strict=True)])
             for k in range(1, RANK_DEPTH + 1)]
    refusal = refusal_scores([not r.answerable for r in results], [not r.grounded for r in results])
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r.correct)
    cited = sum(r.cited for r in results)
    latencies = [r.latency_ms for r in results]
    return EvalSummary(
        questions=len(results),
        answerable=sum(1 for r in results if r.answerable),
        hit_at_1=curve[0] if curve else 0.0,
        hit_at_5=curve[4] if curve else 0.0,
        hit_at_10=curve[9] if curve else 0.0,
        mrr_at_10=_mean([1 / r.rank if r.rank else 0.0 for r in answerable]),
        hit_curve=curve,
        accuracy=_mean([r.correct for r in results if r.answerable]),
        refusal_precision=refusal["precision"],
        refusal_recall=refusal["recall"],
        refusal_f1=refusal["f1"],
        citation_support=sum(r.supported for r in results) / cited if cited else 1.0,
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        threshold=threshold,
        accuracy_by_kind={kind: _mean(values) for kind, values in sorted(by_kind.items())},
    )


def _mean(values: list[bool] | list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
