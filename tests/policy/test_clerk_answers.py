"""Answers that read like a careful clerk wrote them (issue 14, part 3), on the real demo corpus.

The questions are the cases the issue reports; each asserts what a reader of the answer would notice.
"""

from __future__ import annotations

import re

import pytest

from assistant.evaluation.metrics import cited_sentences, is_supported
from assistant.policy.service import PolicyService

FUNDING_HEADER = "项目 | 名额（约） | 资助标准 | 说明"


def _lines(answer: str) -> list[str]:
    return answer.split("\n")


def _assert_supported(answer_text: str, snippets: dict[int, str]) -> None:
    for sentence, n in cited_sentences(answer_text):
        assert is_supported(sentence, snippets[n]), sentence


def test_a_table_row_is_never_quoted_without_its_header(demo_assistant: PolicyService) -> None:
    for question in ["2027年博士后资助项目有哪几类？", "博士后出站留渝补贴每人多少？", "博士直通车项目资助多少钱"]:
        answer = demo_assistant.ask(question)
        lines = _lines(answer.answer)
        for index, line in enumerate(lines):
            if " | " in line and "[" in line:  # a cited table row: the line above is its header (or another row)
                above = lines[index - 1]
                assert " | " in above, (question, line)
        _assert_supported(answer.answer, {c.n: c.snippet for c in answer.citations})


def test_funding_table_comes_whole_with_the_exit_subsidy_row(demo_assistant: PolicyService) -> None:
    answer = demo_assistant.ask("2027年博士后资助项目有哪几类？")
    assert FUNDING_HEADER in answer.answer
    rows = ["博士后创新人才支持计划 | 60名", "科研项目特别资助 | 100项", "科研项目面上资助 | 300项",
            "出站留渝补贴 | 不限"]
    positions = [answer.answer.find(row) for row in rows]
    assert all(p >= 0 for p in positions), answer.answer
    assert positions == sorted(positions), "rows in the order of the table"


def test_list_questions_get_every_item_in_document_order(demo_assistant: PolicyService) -> None:
    answer = demo_assistant.ask("申报博士后创新人才支持计划需要什么条件？")
    text = answer.answer
    items = [re.match(r"(\d+)\. ", line) for line in _lines(text)]
    numbers = [int(m.group(1)) for m in items if m]
    assert numbers[:4] == [1, 2, 3, 4], text
    assert "在站期间全职从事博士后研究" in text  # the whole item, not its first clause


def test_each_document_is_cited_once(demo_assistant: PolicyService) -> None:
    for question in ["博士后出站留渝补贴每人多少？", "2027年博士后资助项目有哪几类？", "博士直通车项目资助多少钱"]:
        answer = demo_assistant.ask(question)
        docs = [c.doc_id for c in answer.citations]
        assert len(docs) == len(set(docs)), (question, docs)
        assert [c.n for c in answer.citations] == list(range(1, len(docs) + 1))
        _assert_supported(answer.answer, {c.n: c.snippet for c in answer.citations})


def test_how_to_sign_up_gives_the_whole_sign_up_section(demo_assistant: PolicyService) -> None:
    answer = demo_assistant.ask("金牌陪跑赛怎么报名？")
    assert answer.grounded
    text = answer.answer
    assert "进入\"陪跑人\"专区" in text
    assert "大赛邮箱报名" in text
    assert "2027年2月28日" in text
    assert answer.citations[0].doc_id == "notice-2027-gold-medal-accompanying-runner-contest"
    assert "不得向项目团队收取陪跑服务费用" not in text  # another section is not stitched in
    _assert_supported(text, {c.n: c.snippet for c in answer.citations})


def test_contact_question_gives_every_number_of_the_contact_section(demo_assistant: PolicyService) -> None:
    answer = demo_assistant.ask("金牌陪跑人实战争锋大赛的联系方式是什么？")
    for number in ["023-63865148", "023-68126617", "jinpaipaopao@kjj.cq.gov.cn"]:
        assert number in answer.answer


def test_expired_job_fair_still_gives_the_date_asked_for(demo_assistant: PolicyService) -> None:
    answer = demo_assistant.ask("2025年秋季高校毕业生专场招聘会什么时候举办？")
    assert answer.grounded
    assert "10月18日" in answer.answer
    assert "2025-10-15 截止" in answer.answer  # and says that it has passed


@pytest.mark.parametrize("question", ["博士后出站留渝补贴每人多少？", "金牌陪跑赛怎么报名？"])
def test_the_fact_comes_first(demo_assistant: PolicyService, question: str) -> None:
    answer = demo_assistant.ask(question)
    first = next(line for line in _lines(answer.answer) if "[" in line)
    assert "[1]" in first
    assert "10万元" in first or "渝才荟" in first


def test_a_question_about_a_replaced_version_is_told_what_replaced_it(demo_assistant: PolicyService) -> None:
    answer = demo_assistant.ask("陪跑人1.0版要求技术经理人近3年促成多少技术合同成交额？")
    assert answer.grounded
    assert "已被《重庆市人才创新创业陪跑队伍建设政策（2.0版）》取代" in answer.answer


def test_a_conditions_question_gets_the_whole_conditions_section(demo_assistant: PolicyService) -> None:
    answer = demo_assistant.ask("2027年攀登专项申报卓越工程师这个层次要什么条件？")
    assert answer.citations[0].doc_id == "announcement-2027-excellent-engineer-climbing"
    assert "从业8年以上" in answer.answer and "年龄不超过50周岁" in answer.answer
    _assert_supported(answer.answer, {c.n: c.snippet for c in answer.citations})
