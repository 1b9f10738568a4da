"""Distinct categories stay distinct in search tokens (博士 ≠ 博士后 ≠ 博士研究生导师; 硕士 ≠ 硕士点 …)."""

from __future__ import annotations

import pytest

from assistant.retrieval.tokenizing import abbreviation_of, query_groups, tokenize


@pytest.mark.parametrize(("compound", "category"), [
    ("博士后", "博士"), ("博士研究生导师", "博士"), ("博士生导师", "博士"), ("硕士点", "硕士"),
    ("博士点", "博士"), ("本科院校", "本科"), ("高校教师", "高校"), ("高校毕业生", "高校"),
])
def test_a_compound_does_not_match_the_category_inside_it(compound: str, category: str) -> None:
    assert compound in tokenize(f"面向{compound}的支持政策")
    assert category not in tokenize(f"面向{compound}的支持政策")


def test_graduates_and_teachers_share_no_search_token() -> None:
    assert not set(tokenize("高校毕业生")) & set(tokenize("高校教师"))


def test_a_one_word_synonym_stands_for_itself_not_its_parts() -> None:
    groups = query_groups("安家费有多少")
    assert ["安家费", "安家补贴", "安家"] in groups
    assert not any("补贴" in group for group in groups)


def test_an_abbreviation_is_derived_from_the_corpus_terms() -> None:
    assert abbreviation_of("博后") == "博士后"
    assert abbreviation_of("一年") is None  # a real word is no abbreviation
    assert ["博后", "博士后"] in query_groups("博后在站经费一年多少钱")
