"""The answer-extraction benchmark's metric, split and set building (the measuring itself runs in `bench/`)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bench.bench_answers import (
    Item,
    ask_all,
    cmrc_corpus,
    contains_any,
    contains_share,
    field_items,
    guide_corpus,
    half_of,
    is_correct,
    main,
    normalise,
    summarise,
)
from bench.corpora import CMRC_DEV, GUIDES_JSON

DATA = Path(__file__).resolve().parents[1] / "data" / "bench_answers"
CMRC_TINY = DATA / "cmrc_tiny.json"
GUIDES_TINY = DATA / "guides_tiny.jsonl"


def test_normalise_folds_width_and_whitespace_only() -> None:
    assert normalise("ＡＢＣ　１２３ (工作日)") == "ABC123(工作日)"
    assert normalise("（工作日）") == "(工作日)"
    assert normalise("广州市，越秀区。") == "广州市,越秀区。"  # full-width comma folds, the ideographic stop stays


def test_contains_any_needs_one_gold_answer_in_the_answer() -> None:
    assert contains_any("青石镇始建于１８２０年。", ["1820年"])
    assert contains_any("石桥长 42 米", ["42米"])
    assert not contains_any("石桥长四十二米", ["42米"])
    assert not contains_any("任何回答", [""])


def test_contains_share_needs_eighty_percent_of_the_items() -> None:
    four = ["补发申请表", "居民身份证", "遗失声明", "照片"]
    assert contains_share("1. 补发申请表 2. 居民身份证 3. 遗失声明 4. 照片", four)
    assert not contains_share("1. 补发申请表 2. 居民身份证 3. 遗失声明", four)  # 3 of 4 < 80 %
    five = [*four, "委托书"]
    assert contains_share("补发申请表、居民身份证、遗失声明、照片", five)  # 4 of 5 = 80 %
    assert contains_share("请到示例市东路1号政务大厅3号窗口", ["示例市东路1号政务大厅3号窗口"])
    assert not contains_share("请到示例市东路1号", ["示例市东路1号政务大厅3号窗口"])
    assert not contains_share("任何回答", [])


def test_field_items_split_strings_drop_labels_numbering_and_empty_values() -> None:
    assert field_items("办理地点：示例市西路2号；示例市南路3号", "办理地点") == ["示例市西路2号", "示例市南路3号"]
    assert field_items(["1. 申请表", "（2）身份证。", " "]) == ["申请表", "身份证"]
    assert field_items("无") == []
    assert field_items(None) == []


def test_split_is_deterministic_and_roughly_even() -> None:
    assert half_of("SYN_1_QUERY_0") == half_of("SYN_1_QUERY_0")
    halves = Counter(half_of(f"q-{n}") for n in range(400))
    assert set(halves) == {"tune", "test"}
    assert 150 < halves["tune"] < 250
    # The rule itself (SHA-256 parity) is fixed: these values must never change, or reported halves would mix.
    assert [half_of(key) for key in ("a", "b", "c", "d")] == ["test", "test", "tune", "tune"]


def test_cmrc_corpus_is_one_file_per_paragraph_and_skips_unanswerable_questions() -> None:
    files, items = cmrc_corpus(path=CMRC_TINY)
    assert sorted(files) == ["cmrc-syn_1", "cmrc-syn_2"]
    assert files["cmrc-syn_1"].startswith("# 青石镇\n\n青石镇位于")
    assert [item.id for item in items] == ["SYN_1_QUERY_0", "SYN_1_QUERY_1", "SYN_2_QUERY_0"]
    assert items[0].gold == ["1820年", "１８２０年"] and items[0].doc == "cmrc-syn_1"
    assert len(cmrc_corpus(limit=1, path=CMRC_TINY)[0]) == 1


def test_guide_corpus_asks_only_filled_fields_of_unambiguous_services() -> None:
    files, items = guide_corpus(path=GUIDES_TINY)
    assert len(files) == 4  # the two guides sharing a name stay in the corpus …
    asked = {(item.doc, item.kind): item for item in items}
    assert set(asked) == {("guide-00000", "materials"), ("guide-00000", "location"), ("guide-00000", "time"),
                          ("guide-00001", "location")}  # … but get no questions; "无" fields get none either
    assert asked["guide-00000", "materials"].question == "办理示例证书补发需要哪些材料？"
    assert asked["guide-00000", "time"].gold == ["5(工作日)", "20(工作日)"]
    assert asked["guide-00001", "location"].gold == ["示例市西路2号", "示例市南路3号"]
    document = files["guide-00000"]
    assert "region: 示例省" in document and "# 示例证书补发" in document
    assert "申请材料：\n\n1. 补发申请表\n2. 居民身份证\n3. 遗失声明" in document
    assert "承诺办结时限：5(工作日)" in document and "无" not in files["guide-00001"].split("---")[-1]


def test_is_correct_applies_each_items_rule() -> None:
    time = Item(id="t", set="guides", kind="time", question="", gold=["5(工作日)", "20(工作日)"], doc="d")
    assert is_correct(time, "承诺办结时限：5（工作日）")
    materials = Item(id="m", set="guides", kind="materials", question="", gold=["甲表", "乙表"], doc="d",
                     rule="share")
    assert not is_correct(materials, "甲表")
    assert is_correct(materials, "甲表、乙表")


def test_guides_are_answered_through_a_real_policy_service(tmp_path: Path) -> None:
    files, items = guide_corpus(path=GUIDES_TINY)
    outcomes, _ = ask_all(files, items, tmp_path, hybrid=False)
    assert [o.id for o in outcomes] == [item.id for item in items]
    location = next(o for o in outcomes if o.id == "guide-00000-location")
    assert location.grounded and location.gold_in_hits
    assert location.correct, location.answer  # the one guide with this address answers "在哪里办理…"
    summary = summarise(outcomes)
    assert summary.questions == len(items)
    assert summary.false_declines == sum(not o.grounded for o in outcomes) / len(outcomes)


@pytest.mark.slow
@pytest.mark.skipif(not (CMRC_DEV.is_file() and GUIDES_JSON.is_file()), reason="../shared/data is absent")
def test_real_sets_run_end_to_end_on_a_small_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "outcomes.jsonl"
    main(["--limit", "3", "--half", "test", "--dump", str(dump)])
    rows = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert {row["set"] for row in rows} == {"cmrc", "guides"}
    assert {row["half"] for row in rows} == {"test"}
    table = capsys.readouterr().out
    assert "| cmrc | test |" in table and "| guides | test |" in table
