"""The offline answerer over the real demo corpus with the real shipped encoder."""

from __future__ import annotations

import pytest

from assistant.errors import InvalidInputError
from assistant.evaluation.metrics import cited_sentences
from assistant.policy.answering import DECLINE_MESSAGE, split_sentences
from assistant.policy.service import PolicyService
from assistant.retrieval.search import SearchFilters


@pytest.mark.parametrize(
    ("question", "fact", "doc_id"),
    [
        ("博士后留渝率是多少？", "90%", "policy-postdoc-innovation-doubling"),
        ("卓越工程师“6+5+4”里的6是哪6个专项", "育苗", "policy-excellent-engineer-action"),
        ("境外职业资格证书认可清单有多少项", "213项", "policy-overseas-qualification-recognition-list"),
        ("高校成果转化收益奖励比例提高到多少", "80%以上", "policy-sci-tech-achievement-transfer-reform"),
        ("科技副总每年选派多少名", "60名", "policy-keji-fuzong"),
        ("渝才荟有多少项服务一网通办", "73项", "policy-yucaihui-ai-guanjia"),
    ],
)
def test_answers_state_the_fact_and_cite_its_source(demo_assistant: PolicyService, question: str, fact: str,
                                                    doc_id: str) -> None:
    answer = demo_assistant.ask(question)
    assert answer.grounded
    assert fact in answer.answer
    holding = [c for c in answer.citations if fact in c.snippet]
    assert holding, "the fact must come from a cited passage"
    assert any(c.doc_id == doc_id for c in answer.citations) or all(c.doc_id for c in holding)


def test_every_cited_sentence_is_in_the_passage_it_cites(demo_assistant: PolicyService) -> None:
    for question in ["金牌陪跑人有什么待遇", "博士直通车项目资助多少钱", "人才子女入学怎么安排",
                     "英才计划申报截止时间"]:
        answer = demo_assistant.ask(question)
        snippets = {c.n: c.snippet for c in answer.citations}
        pairs = cited_sentences(answer.answer)
        assert pairs, question
        for sentence, n in pairs:
            assert sentence in snippets[n], (question, sentence)
        assert sorted(snippets) == list(range(1, len(snippets) + 1))


@pytest.mark.parametrize(
    "question",
    [
        "上海的人才落户政策是什么？",  # another city
        "怎么做红烧肉",  # unrelated
        "今天天气怎么样",
        "重庆落户需要什么条件",  # near the topic, not in the corpus
        "重庆英才计划入选者的个人所得税怎么减免",
        "Who won the world cup in 2022?",
    ],
)
def test_questions_the_corpus_does_not_cover_are_declined(demo_assistant: PolicyService, question: str) -> None:
    answer = demo_assistant.ask(question)
    assert not answer.grounded and answer.citations == []
    assert "抱歉" in answer.answer


def test_an_english_question_is_understood(demo_assistant: PolicyService) -> None:
    answer = demo_assistant.ask("What is the retention rate of postdocs in Chongqing?")
    assert answer.grounded and "英文" in answer.answer
    assert any("博士后" in c.snippet for c in answer.citations)


def test_an_expired_call_is_flagged(demo_assistant: PolicyService) -> None:
    answer = demo_assistant.ask("2025年度重庆英才计划网上填报什么时候截止")
    assert answer.grounded
    assert any(c.doc_id == "announcement-2025-chongqing-yingcai-plan" for c in answer.citations)
    assert "已于 2025-06-10 截止" in answer.answer


def test_a_superseded_policy_points_to_its_successor(demo_assistant: PolicyService) -> None:
    answer = demo_assistant.ask("陪跑人政策1.0版每人给多少经费", SearchFilters(kinds=["policy"]))
    assert answer.grounded
    if any(c.doc_id == "policy-peipaoren-1" for c in answer.citations):
        assert "已被《" in answer.answer and "取代" in answer.answer


def test_active_only_filter_excludes_expired_documents(demo_assistant: PolicyService) -> None:
    hits = demo_assistant.retrieve("重庆英才计划 申报时间", SearchFilters(active_only=True), top_k=10).hits
    assert hits and all(h.document.validity(demo_assistant.settings.current_date()) == "active" for h in hits)


def test_hybrid_search_uses_both_retrievers(demo_assistant: PolicyService) -> None:
    result = demo_assistant.retrieve("年轻科学家自由探索的资助")
    assert result.dense_used
    assert any(h.dense is not None for h in result.hits) and any(h.bm25 is not None for h in result.hits)
    assert result.hits == sorted(result.hits, key=lambda h: -h.fused)


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "不能为空"), ("   \n\t ", "不能为空"), ("问" * 10_000, "太长"), ("\x00\x07\x1b", "不能为空")],
)
def test_bad_questions_get_a_clear_error(demo_assistant: PolicyService, question: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        demo_assistant.ask(question)


def test_control_characters_inside_a_question_are_ignored(demo_assistant: PolicyService) -> None:
    assert demo_assistant.ask("博士后\x00留渝率\x1b是多少").grounded


def test_declining_never_cites(demo_assistant: PolicyService) -> None:
    answer = demo_assistant.ask("怎么申请美国绿卡")
    assert answer.answer == DECLINE_MESSAGE and not answer.grounded


def test_split_sentences_keeps_a_lead_in_with_its_list() -> None:
    text = "各区县人社局：\n申报人应当符合下列条件：\n1. 具有博士学位；\n2. 年龄不超过40周岁。\n资助每人15万元。"
    sentences = split_sentences(text)
    assert sentences == ["申报人应当符合下列条件：\n1. 具有博士学位；\n2. 年龄不超过40周岁。", "资助每人15万元。"]
    assert all(s in text for s in sentences)
