"""The person is part of the question: a clause about the speaker steers retrieval and opens the answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.eligibility.facts import facts_from_text
from assistant.policy.context import PersonContext, split_person_clause
from assistant.policy.service import AskContext, PolicyService
from assistant.tools.policy_search import person_context

POSTDOC_DOCS = {"announcement-2027-postdoc-funding", "policy-postdoc-innovation-doubling",
                "notice-2026-postdoc-job-fair-and-roadshow"}


@pytest.mark.parametrize(("question", "clause"), [
    ("我是硕士毕业生，来重庆工作有什么补贴？", "我是硕士毕业生"),
    ("我在璧山创业，有什么补贴？", "我在璧山创业"),
    ("我博士后出站三年了，还能申请什么项目？", "我博士后出站三年了"),
    ("重庆对博士有什么补贴？", ""),
])
def test_the_person_clause_is_split_from_the_question(question: str, clause: str) -> None:
    assert split_person_clause(question)[0] == clause


@pytest.fixture
def assistant(demo_assistant: PolicyService) -> Iterator[PolicyService]:
    today = demo_assistant.settings.current_date()
    demo_assistant.person_reader = lambda clause: person_context(facts_from_text(clause, today), "stated", clause)
    try:
        yield demo_assistant
    finally:
        demo_assistant.person_reader = None


def _docs(assistant: PolicyService, question: str, history: list[str] | None = None) -> list[str]:
    return [hit.document.id for hit in assistant.trace(question, AskContext(history=history or [])).result.hits]


@pytest.mark.slow
@pytest.mark.parametrize("history", [[], ["重庆对博士后有什么补贴？"]])
def test_a_phd_question_gets_phd_documents_not_postdoc_ones(assistant: PolicyService, history: list[str]) -> None:
    question = "那博士呢？" if history else "重庆对博士有什么补贴？"
    docs = _docs(assistant, question, history)
    assert docs[0] in {"announcement-2027-phd-direct-train", "policy-phd-express-research-project"}
    assert not set(docs[:2]) & POSTDOC_DOCS


@pytest.mark.slow
def test_the_abbreviated_postdoc_question_is_answered(assistant: PolicyService) -> None:
    answer = assistant.ask("博后在站经费一年多少钱")
    assert answer.grounded and "12万元" in answer.answer


@pytest.mark.slow
@pytest.mark.parametrize(("question", "opening", "first_docs"), [
    ("我是硕士毕业生，来重庆工作有什么补贴？", "按您的硕士学历", {"policy-youth-talent-innovation-entrepreneurship"}),
    ("我是外籍人才，在重庆工作有什么支持？", "按您的外籍人才身份",
     {"announcement-2027-foreign-high-end-talent", "policy-foreign-high-end-talent-pilot"}),
    ("我在璧山创业，有什么补贴？", "按您的在璧山区创业的情况", {"policy-youth-talent-innovation-entrepreneurship"}),
    ("我博士后出站三年了，还能申请什么项目？", "按您的博士后出站3年的情况",
     {"notice-2026-postdoc-job-fair-and-roadshow", "policy-postdoc-innovation-doubling"}),
])
def test_the_answer_opens_with_the_person_it_used(assistant: PolicyService, question: str, opening: str,
                                                  first_docs: set[str]) -> None:
    trace = assistant.trace(question)
    assert trace.answer.answer.startswith(opening)
    assert trace.result.hits[0].document.id in first_docs


@pytest.mark.slow
def test_a_resume_context_steers_a_plain_question(assistant: PolicyService) -> None:
    known = PersonContext(education="硕士", source="from_resume", evidence="简历")
    trace = assistant.trace("来重庆工作有什么补贴？", AskContext(person=known))
    assert trace.answer.answer.startswith("按您简历中的硕士学历")
    assert trace.result.hits[0].document.id not in POSTDOC_DOCS
