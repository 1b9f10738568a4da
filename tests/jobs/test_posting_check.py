"""The posting check generalises: grounds × stances compose, lawful contexts clear, and it holds on held-out sets.

Held-out measures (docs/MATCHING.md "Posting check"): sentences of the real 2019 ads, hand-labelled before the
rules were tuned (tests/data/posting_real/labels.yaml: references only, the text is read from ../shared/data), and
a blind set written from the list of grounds only (tests/data/posting_blind/cases.yaml, by another session).
Each is split by parity before tuning; the thresholds are asserted on the test halves.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.jobs.fairness import check_posting, clauses
from tests.jobs.posting_real import DATA, LABELS, labelled, precision_recall

BLIND = Path(__file__).resolve().parents[1] / "data" / "posting_blind" / "cases.yaml"
BLIND_GROUNDS = {"性别": "gender", "年龄": "age", "婚育/孕检": "marital_childbearing", "户籍/籍贯/地域": "hukou",
                 "民族": "ethnicity", "宗教": "religion", "健康/乙肝/残疾": "health", "容貌/身高": "appearance"}
TARGET = 0.95


def kinds(text: str) -> set[str]:
    return {issue.kind for issue in check_posting(text).issues} if text.strip() else set()


@pytest.mark.slow
@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data/jobs_2019_boss_liepin_lagou is absent")
def test_real_ad_sentences_labelled_by_hand_test_half() -> None:
    cases = labelled()
    assert len(cases) >= 150 and sum(1 for _, _, k in cases if k) >= 50
    test_half = [(text, expected) for number, text, expected in cases if number % 2 == 1]
    precision, recall, errors = precision_recall(test_half, kinds)
    assert precision >= TARGET and recall >= TARGET, (precision, recall, errors)


def test_real_ad_labels_hold_references_only() -> None:
    entries = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    assert all(set(entry) == {"id", "ref", "sha1", "kinds"} for entry in entries)  # no ad text in the repository
    assert len({entry["id"] for entry in entries}) == len(entries)


@pytest.mark.skipif(not BLIND.exists(), reason="the blind phrasing set is absent")
def test_blind_phrasings_test_half() -> None:
    cases = sorted(yaml.safe_load(BLIND.read_text(encoding="utf-8"))["cases"], key=lambda case: case["id"])
    test_half = [(case["text"], {BLIND_GROUNDS[case["ground"]]} if case["ground"] else set())
                 for position, case in enumerate(cases) if position % 2 == 1]  # PB002, PB004 …: never tuned on
    assert len(test_half) >= 60

    def grounds(text: str) -> set[str]:  # the set names one ground for health, HBV and disability
        return {"health" if kind == "disability" else kind for kind in kinds(text)}

    precision, recall, errors = precision_recall(test_half, grounds)
    assert precision >= TARGET and recall >= TARGET, (precision, recall, errors)


BLIND2 = BLIND.parent.parent / "posting_blind2" / "cases.yaml"
BLIND2_GROUNDS = {"性别": "gender", "年龄": "age", "婚育": "marital_childbearing", "户籍": "hukou", "民族": "ethnicity",
                  "宗教": "religion", "健康": "health", "容貌": "appearance"}


def _blind_set_scores(path: Path) -> tuple[float, float, list[str]]:
    """Precision and recall over all 120 cases of a later blind set (short ground names; one for health/disability)."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    rows = [(case["text"], {BLIND2_GROUNDS[case["ground"]]} if case["ground"] else set()) for case in cases]
    assert len(rows) == 120

    def grounds(text: str) -> set[str]:
        return {"health" if kind == "disability" else kind for kind in kinds(text)}

    return precision_recall(rows, grounds)


@pytest.mark.skipif(not BLIND2.exists(), reason="the second blind phrasing set is absent")
def test_second_blind_set() -> None:
    """120 phrasings by another blind writer: first run P 1.000 / R 0.933 (4 misses, since fixed: a birth-date
    cut-off, "须具有北京市常住户口", "长得丑的就别投了", "面部有明显疤痕、胎记者谢绝"), so now a regression set."""
    precision, recall, errors = _blind_set_scores(BLIND2)
    assert precision >= TARGET and recall >= TARGET, (precision, recall, errors)


BLIND3 = BLIND.parent.parent / "posting_blind3" / "cases.yaml"


@pytest.mark.skipif(not BLIND3.exists(), reason="the third blind phrasing set is absent")
def test_third_blind_set_held_out() -> None:
    """120 phrasings by a third blind writer, run once after the fixes from the second set and never tuned on:
    P 0.967 (two benefits/team descriptions with ages flagged), R 0.983 ("须为1990年1月1日以后出生" missed)."""
    precision, recall, errors = _blind_set_scores(BLIND3)
    assert precision >= TARGET and recall >= TARGET, (precision, recall, errors)


MENTIONS = {"gender": "女性", "age": "90后", "marital_childbearing": "已育者", "hukou": "外地户籍人员",
            "ethnicity": "藏族", "religion": "有宗教信仰者", "health": "乙肝病原携带者", "disability": "残疾人",
            "appearance": "颜值高者"}
STANCES = ["{m}不予考虑", "{m}请勿投递", "{m}谢绝", "不招{m}", "仅限{m}", "只要{m}", "必须是{m}", "{m}优先",
           "{m}为佳"]


@pytest.mark.parametrize("kind", sorted(MENTIONS))
@pytest.mark.parametrize("stance", STANCES)
def test_every_ground_with_every_stance_is_flagged_with_its_article(kind: str, stance: str) -> None:
    text = "招聘行政专员，" + stance.format(m=MENTIONS[kind]) + "，负责日常事务。"
    issues = [issue for issue in check_posting(text).issues if issue.kind == kind]
    if kind == "disability" and ("优先" in stance or "为佳" in stance):
        assert issues == [], text  # preferring disabled applicants is lawful (残疾人保障法 encourages it)
        return
    assert issues, text
    assert all("第" in issue.rule and "条" in issue.rule for issue in issues)
    assert all(text[issue.start:issue.start + len(issue.text)] == issue.text for issue in issues)


@pytest.mark.parametrize("text", [
    "男女不限，年龄不限，户籍不限，民族不限",
    "须年满18周岁", "年满16周岁即可", "18-60周岁", "五险一金（含生育保险），婚假、产假、陪产假",
    "已婚员工可申请夫妻房", "女员工享受三八妇女节半天假", "为满足条件的员工办理深圳户口",
    "入职体检按国家标准执行，不含孕检项目", "不询问求职者婚育状况", "乙肝携带者一视同仁",
    "欢迎残疾人士投递，办公区有无障碍设施", "少数民族考生优先", "尊重员工宗教信仰，食堂设清真窗口",
    "食品从业人员须持健康证", "团队平均年龄27岁，90后为主的团队", "为7-14岁孩子设计编程课",
    "产品在年轻用户（18-25岁）中使用率第一", "熟悉男装品类运营", "北京有限公司", "负责女性健康产品推广",
    "办公室美女帅哥多，高颜值的同事", "负责企业品牌形象设计", "具有研究气质", "熟悉TCP/IP协议族",
    "有华东地区工作经验者优先", "包括但不限于阿里妈妈、生意参谋", "能适应夜班，需长时间站立，能搬运20kg货物",
])
def test_lawful_or_neutral_contexts_are_not_flagged(text: str) -> None:
    assert check_posting(text).issues == [], [(i.kind, i.text) for i in check_posting(text).issues]


@pytest.mark.parametrize(("text", "kind", "flagged"), [
    ("任职要求：1.35周岁以下；2.本科", "age", "35周岁以下"),  # an item number is not a decimal point
    ("本科学历，男", "gender", "男"),
    ("限30岁以内女性", "age", "30岁以内"),
    ("应届毕业生，年龄不超过24周岁", "age", "年龄不超过24周岁"),
    ("须年满22周岁", "age", "年满22周岁"),  # a minimum above the statutory one
    ("欢迎80后、90后加入我们的团队", "age", "欢迎80后、90后"),
    ("请在简历中注明婚育情况", "marital_childbearing", "注明婚育情况"),
    ("入职需提供孕检报告", "marital_childbearing", "孕检"),
    ("孕期女性请勿投递", "marital_childbearing", "孕期女性请勿投递"),
    ("新疆籍人员不予录用", "hukou", "新疆籍人员不予录用"),
    ("入职体检含乙肝五项", "health", "乙肝五项"),
    ("长相甜美，身材匀称", "appearance", "长相甜美"),
])
def test_composed_flags_name_the_words(text: str, kind: str, flagged: str) -> None:
    issues = check_posting(text).issues
    assert [i.text for i in issues if i.kind == kind][:1] == [flagged], [(i.kind, i.text) for i in issues]
    if kind in ("marital_childbearing", "age"):
        assert "gender" not in {i.kind for i in issues} or kind == "age"


def test_clauses_split_at_punctuation_and_item_numbers() -> None:
    text = "任职要求：1.本科以上学历2.熟悉Java；3、35岁以下\n福利：五险一金"
    assert [text[a:b] for a, b in clauses(text)] == ["任职要求：", "1.本科以上学历", "2.熟悉Java", "3、35岁以下",
                                                     "福利：五险一金"]
