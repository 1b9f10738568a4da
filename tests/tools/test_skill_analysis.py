"""High-frequency analysis: share, keyness (G²), title selection, examples, posting input."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import DocumentLoadError, InvalidInputError
from assistant.skills.analysis import (
    Posting,
    SkillIndex,
    analyze_postings,
    example_sentence,
    load_library_index,
    load_postings,
    log_likelihood,
    read_postings,
    title_tokens,
)

SMALL = Path(__file__).resolve().parents[1] / "data" / "skills" / "postings_small.jsonl"


@pytest.fixture(scope="module")
def index() -> SkillIndex:
    return SkillIndex(load_postings(SMALL))


def test_log_likelihood_matches_a_hand_computed_table() -> None:
    # 6 of 10 target postings vs 9 of 90 reference postings; expected counts 1.5, 8.5, 13.5, 76.5:
    # G² = 2·(6 ln 4 + 4 ln(4/8.5) + 9 ln(9/13.5) + 81 ln(81/76.5)) = 12.5666
    assert log_likelihood(6, 10, 9, 90) == pytest.approx(12.5666, abs=1e-3)


def test_log_likelihood_is_negative_when_under_represented_and_zero_when_even() -> None:
    assert log_likelihood(1, 10, 45, 90) < 0
    assert log_likelihood(5, 10, 45, 90) == pytest.approx(0.0, abs=1e-9)
    assert log_likelihood(0, 0, 3, 10) == 0.0


def test_title_similarity_selects_the_target_job_family(index: SkillIndex) -> None:
    chosen = index.select("自动驾驶算法工程师")
    assert {index.postings[i].title for i in chosen} == {
        "自动驾驶算法工程师", "自动驾驶感知算法工程师", "自动驾驶规划控制算法工程师", "高级自动驾驶算法工程师",
    }
    assert index.postings[chosen[0]].title == "自动驾驶算法工程师"  # the exact title ranks first


def test_filters_narrow_the_selection(index: SkillIndex) -> None:
    chosen = index.select("自动驾驶算法工程师", city="重庆")
    assert all(index.postings[i].city == "重庆" for i in chosen) and len(chosen) == 3


def test_analysis_ranks_core_skills_with_share_keyness_and_examples(index: SkillIndex) -> None:
    report = index.analyze(index.select("自动驾驶算法工程师"))
    assert report.postings == 4 and report.reference_postings == 8
    top = report.skills[0]
    assert (top.name, top.category, top.share, top.required_share) == ("C++", "hard_skill", 1.0, 1.0)
    # C++ is in all 4 target postings and 1 of the 8 others: distinctive, so strongly positive keyness.
    assert top.keyness == pytest.approx(log_likelihood(4, 4, 1, 8), abs=0.01) and top.keyness > 5
    assert all("C++" in example for example in top.examples) and 1 <= len(top.examples) <= 2
    by_name = {s.name: s for s in report.skills}
    assert by_name["自动驾驶"].category == "industry_term"
    assert by_name["AUTOSAR"].required_share == 0.0  # only asked for as 优先
    assert "MySQL" not in by_name


def test_pasted_postings_without_a_library_have_no_keyness() -> None:
    report = analyze_postings([Posting(text="熟悉Excel"), Posting(text="熟练使用Excel，持有CPA")])
    assert report.postings == 2 and report.reference_postings == 0
    assert report.skills[0].name == "Excel" and report.skills[0].share == 1.0 and report.skills[0].keyness is None


def test_pasted_postings_are_compared_with_the_library(index: SkillIndex) -> None:
    report = analyze_postings([Posting(text="精通Java，熟悉Kafka")], reference=index)
    assert report.reference_postings == 12
    assert {s.name for s in report.skills} == {"Java", "Kafka"}
    assert len(index.postings) == 12  # the library itself is left unchanged


def test_empty_inputs_are_clear_errors(index: SkillIndex) -> None:
    with pytest.raises(InvalidInputError):
        analyze_postings([])
    with pytest.raises(InvalidInputError):
        index.select("  ")


def test_read_postings_accepts_plain_lines_and_jsonl() -> None:
    postings = read_postings(["熟悉Java", "", '{"title": "会计", "text": "熟练使用Excel", "salary": 8000}'])
    assert [(p.title, p.text) for p in postings] == [("", "熟悉Java"), ("会计", "熟练使用Excel")]
    with pytest.raises(DocumentLoadError, match="第 1 行"):
        read_postings(['{"title": "缺少 text"}'])


def test_example_sentence_is_the_clause_around_the_span() -> None:
    text = "岗位职责：负责开发。任职要求：精通C++，熟悉ROS；有AUTOSAR经验者优先。"
    start = text.index("ROS")
    assert example_sentence(text, (start, start + 3)) == "任职要求：精通C++，熟悉ROS"


def test_title_tokens_keep_latin_words_whole() -> None:
    assert {"java", "开发", "工程", "程师"} <= title_tokens("Java开发工程师")
    assert "ja" not in title_tokens("Java开发工程师")


def test_library_index_is_cached_until_the_file_changes(tmp_path: Path) -> None:
    library = tmp_path / "jobs.jsonl"
    library.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    cache = tmp_path / "cache"
    first = load_library_index(library, cache)
    assert len(list(cache.glob("skills-index-*.json"))) == 1
    second = load_library_index(library, cache)  # read back from the cache
    target = "自动驾驶算法工程师"
    assert second.analyze(second.select(target)) == first.analyze(first.select(target))
    library.write_text(library.read_text(encoding="utf-8") + '{"title": "Go开发", "text": "精通Go"}\n',
                       encoding="utf-8")
    third = load_library_index(library, cache)
    assert len(third.postings) == 13 and len(list(cache.glob("skills-index-*.json"))) == 2
