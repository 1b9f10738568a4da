"""English questions mapped onto the corpus's own Chinese terms through CC-CEDICT (assistant/retrieval/english.py)."""

from __future__ import annotations

import pytest

from assistant.policy.service import PolicyService
from assistant.retrieval.english import EnglishDictionary, english_runs, gloss_stems
from assistant.retrieval.search import token_frequencies
from assistant.retrieval.tokenizing import (
    MAX_QUERY_GROUPS,
    english_mapping,
    expand_query,
    query_groups,
    search_tokens,
)

# A corpus vocabulary: index token → passages holding it.
CORPUS = {"住房": 12, "补贴": 30, "博士后": 9, "渝才荟": 4, "集成电路": 3, "电路": 2, "重庆": 40, "人才": 50,
          "年龄": 6, "上限": 2, "卓越工程师": 5, "工程师": 8, "获得": 7, "金凤": 2, "实验室": 6}


@pytest.fixture(scope="module")
def english():  # noqa: ANN201 - CorpusEnglish
    return english_mapping(CORPUS)


def _terms(english, question: str) -> dict[str, tuple[str, ...]]:  # noqa: ANN001
    return {" ".join(m.words): m.terms for m in english.matches(question)}


def test_english_words_map_to_the_terms_the_corpus_uses(english) -> None:  # noqa: ANN001
    found = _terms(english, "How big is the housing subsidy for postdocs in Chongqing?")
    assert found["housing"] == ("住房",)
    assert "补贴" in found["subsidy"]
    assert found["postdocs"] == ("博士后",)
    assert "重庆" in found["chongqing"]


def test_only_headwords_of_the_corpus_are_offered(english) -> None:  # noqa: ANN001
    # CEDICT also gives 资助 and 补助 for "subsidy"; this corpus never uses them.
    offered = {term for terms in _terms(english, "housing subsidy").values() for term in terms}
    assert offered <= set(CORPUS)
    assert "资助" not in offered and "补助" not in offered
    narrower = english_mapping({"补贴": 3})
    assert _terms(narrower, "housing subsidy") == {"subsidy": ("补贴",)}


def test_a_longer_phrase_wins_over_its_words(english) -> None:  # noqa: ANN001
    found = _terms(english, "How many integrated-circuit companies are there?")
    assert found["integrated circuit"] == ("集成电路",)
    assert "circuit" not in found


def test_romanised_names_are_matched_on_the_pinyin_of_corpus_words(english) -> None:  # noqa: ANN001
    assert _terms(english, "What is the hotline of the Yucaihui app?")["yucaihui"] == ("渝才荟",)
    assert _terms(english, "How many researchers work at the Jinfeng Laboratory?")["jinfeng"] == ("金凤",)
    assert "yucaihui" not in _terms(english_mapping({"人才": 3}), "the Yucaihui app")


def test_the_glossary_keeps_programme_names_a_dictionary_cannot_know(english) -> None:  # noqa: ANN001
    assert _terms(english, "the Excellent Engineer programme")["excellent engineer"] == ("卓越工程师",)


def test_a_verb_helps_find_passages_but_is_not_demanded_of_them(english) -> None:  # noqa: ANN001
    question = "Can a postdoc get a housing subsidy?"
    assert ["获得"] not in query_groups(question, english)
    assert "获得" in search_tokens(question, english)
    assert ["博士后"] in query_groups(question, english)


def test_chinese_questions_are_grouped_as_before(english) -> None:  # noqa: ANN001
    for question in ["博士后住房补贴有多少", "渝才荟 APP 的热线是多少", "重庆英才计划每年遴选多少人"]:
        assert query_groups(question, english) == query_groups(question)
        assert expand_query(question, english) == expand_query(question)


def test_the_expanded_query_carries_the_chinese_terms(english) -> None:  # noqa: ANN001
    expanded = expand_query("What is the upper age limit?", english)
    assert expanded.startswith("What is the upper age limit?")
    assert "年龄" in expanded or "上限" in expanded


def test_a_huge_english_question_costs_a_bounded_grouping(english) -> None:  # noqa: ANN001
    assert query_groups("housing subsidy for postdocs " * 300, english) == query_groups(
        "housing subsidy for postdocs", english)
    words = " ".join(f"word{i} housing" for i in range(500))
    assert len(query_groups(words, english)) <= MAX_QUERY_GROUPS


def test_glosses_are_reduced_to_their_meaning_words() -> None:
    assert gloss_stems("to apply for (a job)") == ("appli", "for")
    assert gloss_stems("CL:個|个[ge4]") == ()
    assert gloss_stems("variant of 聯繫|联系[lian2 xi4]") == ()
    assert english_runs("What's the e-mail of the Study in Chongqing programme?") == [
        ["email"], ["study"], ["chongqing", "program"]]


def test_a_dictionary_from_a_few_lines() -> None:
    lines = ["# comment\n", "住房 住房 [zhu4 fang2] /housing/\n", "補貼 补贴 [bu3 tie1] /to subsidize/subsidy/\n",
             "bad line\n", "房 房 [fang2] /house/\n"]
    dictionary = EnglishDictionary.build(lines, {"住房", "补贴", "房"}, ["住房"])
    assert [c.term for c in dictionary.candidates(("hous",))] == ["住房"]  # one-character words are left out
    assert dictionary.candidates(("subsidi",))[0].term == "补贴"
    assert dictionary.romanised("zhufang") == ["住房"]


@pytest.mark.slow
def test_an_english_question_finds_the_chinese_passage(demo_assistant: PolicyService) -> None:
    searcher = demo_assistant.answerer.searcher
    result = searcher.search("How much is the daily living allowance for postdocs at a workstation?", top_k=5)
    assert "博士后" in result.expanded_query
    assert any("博士后" in hit.chunk.text for hit in result.hits[:3])
    generation = searcher.store.current()
    assert generation is not None
    frequencies = token_frequencies(generation)
    offered = {t for group in searcher.term_weights("housing subsidy for postdocs") for t in group[0]}
    assert offered and all(t in frequencies for t in offered)
