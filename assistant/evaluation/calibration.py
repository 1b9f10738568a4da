"""Choose the refusal threshold that maximises refusal F1 on the golden set, reusing one retrieval pass."""

from __future__ import annotations

from pydantic import BaseModel

from assistant.evaluation.golden import GoldenQuestion
from assistant.evaluation.runner import judge, summarise
from assistant.policy.answering import clean_question
from assistant.policy.followup import rewrite_follow_up
from assistant.policy.service import PolicyService
from assistant.retrieval.search import SearchResult


class CalibrationPoint(BaseModel):
    """Refusal and accuracy at one threshold."""

    threshold: float
    refusal_precision: float
    refusal_recall: float
    refusal_f1: float
    accuracy: float


def calibrate(
    assistant: PolicyService,
    questions: list[GoldenQuestion],
    retrievals: list[SearchResult],
    thresholds: list[float] | None = None,
) -> tuple[CalibrationPoint, list[CalibrationPoint]]:
    """Every candidate threshold's scores, and the best (highest F1, then accuracy, then the lower threshold)."""
    grid = thresholds or [round(0.02 * i, 2) for i in range(10, 41)]
    answerer, today = assistant.answerer, assistant.settings.current_date()
    texts = [rewrite_follow_up(clean_question(q.question, assistant.settings.max_question_chars), q.history)
             for q in questions]
    points: list[CalibrationPoint] = []
    for threshold in grid:  # the shared answerer is never changed: the threshold is passed per answer
        results = []
        for question, text, retrieval in zip(questions, texts, retrievals, strict=True):
            answer = answerer.answer_from(text, retrieval, today, threshold)
            results.append(judge(question, retrieval, answer.answer, answer.grounded, answer.citations, 0.0))
        summary = summarise(results, threshold)
        points.append(CalibrationPoint(threshold=threshold, refusal_precision=summary.refusal_precision,
                                       refusal_recall=summary.refusal_recall, refusal_f1=summary.refusal_f1,
                                       accuracy=summary.accuracy))
    best = max(points, key=lambda p: (round(p.refusal_f1, 6), round(p.accuracy, 6), -p.threshold))
    return best, points
