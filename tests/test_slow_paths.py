"""The slow paths of issues 16 and 20 stay fixed: functional checks (the timing itself is in bench and docs)."""

from __future__ import annotations

from assistant.policy.answering import MAX_QUESTION_PARTS, split_question
from assistant.resume.dates import RANGE_RE, find_ranges
from assistant.resume.sections import _DATE_SPAN
from assistant.retrieval.search import MAX_ENCODED_QUERY_CHARS
from assistant.retrieval.tokenizing import MAX_QUERY_GROUPS, query_groups


def test_a_long_run_of_letters_still_reads_the_dates_around_it() -> None:
    text = "张三\n本科 计算机 2016.09-2020.06\n" + "a" * 30_000 + " Sep 2019 – Present"
    ranges = find_ranges(text)
    assert [(r.start, r.end) for r in ranges] == [((2016, 9), (2020, 6)), ((2019, 9), None)]


def test_a_year_followed_by_spaces_is_not_a_range_and_the_next_one_is() -> None:
    text = "2019" + " " * 5_000 + "x 2018年3月 to 2019年6月"
    assert [(r.start, r.end) for r in find_ranges(text)] == [((2018, 3), (2019, 6))]
    assert RANGE_RE.search("2019" + " " * 5_000) is None
    assert _DATE_SPAN.search("2019" + " " * 5_000) is None
    assert _DATE_SPAN.search("2019 年 3 月   -  2021") is not None


def test_a_question_of_many_parts_is_answered_for_its_first_distinct_parts() -> None:
    many = "".join(f"第{i}个问题是什么？" for i in range(99))
    parts = split_question(many)
    assert len(parts) == MAX_QUESTION_PARTS
    assert parts[0] == "第0个问题是什么？"
    assert split_question("博士后有哪些补贴？" * 20) == ["博士后有哪些补贴？"]
    assert split_question("博士后补贴多少？硕士呢？") == ["博士后补贴多少？硕士呢？"]  # short bits stay attached


def test_query_groups_are_distinct_and_bounded() -> None:
    assert query_groups("人才补贴 " * 400) == query_groups("人才补贴")
    long = "，".join(f"{word}" for word in ("博士后", "硕士", "租房", "补贴", "安家费", "人才公寓", "创业", "贷款",
                                          "落户", "子女", "入学", "医疗", "配偶", "就业", "科研", "项目", "资助",
                                          "工程师", "职称", "评审", "技能", "大赛", "奖励", "企业", "引进", "培养",
                                          "留学", "回国", "签证", "税收", "优惠", "住房", "公积金", "社保", "培训"))
    assert len(query_groups(long)) == MAX_QUERY_GROUPS


def test_the_encoded_query_is_bounded_above_every_golden_question() -> None:
    assert 144 < MAX_ENCODED_QUERY_CHARS <= 256
