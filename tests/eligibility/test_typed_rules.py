"""Rules added for the error classes of the blind set's tuning half: a condition common to a list of groups, a
programme drawn from another, a catalogue of tiers, exclusions and thresholds typed (在站博士后, 首次在渝全职就业,
进站时间, 持股比例, 毕业院校, 技能等级, 企业收入), 满N年 counted to a call's window end, and events open to their
audience."""

from __future__ import annotations

import datetime as dt

from assistant.app import App
from assistant.eligibility.evaluation import Evaluator
from assistant.eligibility.facts import facts_from_text
from assistant.eligibility.models import DocumentVerdict, PersonFacts
from tests.eligibility.conftest import TODAY
from tests.eligibility.test_evaluation import stated, verdict

YOUTH = "policy-youth-talent-innovation-entrepreneurship"
DIRECT = "announcement-2027-phd-direct-train"
CATALOGUE = "policy-talent-recognition-catalog-points"


def track_named(app: App, doc_id: str, word: str) -> str:
    _, conditions, _ = app.eligibility.conditions(doc_id)
    return next(t for t in conditions.tracks if word in t)


def direct_phd(**more: object) -> PersonFacts:
    values: dict[str, object] = dict(education="博士", degree_date="2024-07", first_job_cq="2025-03",
                                     birth_date="1992-01", contract_years=3.0, residence="在渝", district="渝北区",
                                     university="双一流")
    return stated(**{**values, **more})


def test_the_age_and_education_common_to_a_list_of_groups_admit_each_group(elig_app: App) -> None:
    # "35周岁以下的高校毕业生…、博士和博士后": a graduate with a bachelor's degree is one of them.
    startup = track_named(elig_app, YOUTH, "创业补贴")
    graduate = verdict(elig_app, YOUTH, stated(education="本科", age=25, residence="在渝"), startup)
    assert graduate.verdict == "符合", graduate.summary
    assert any("带动就业补贴" in a for a in graduate.amounts)  # "带动3人以上就业的，再给予…": only an amount
    assert verdict(elig_app, YOUTH, stated(education="本科", age=40, residence="在渝"), startup).verdict == "不符合"


def test_a_phd_call_checks_first_job_university_and_excludes_postdocs_in_station(elig_app: App) -> None:
    fits = verdict(elig_app, DIRECT, direct_phd(), "直通类")
    assert fits.verdict == "符合", fits.summary
    early = verdict(elig_app, DIRECT, direct_phd(first_job_cq="2024-09"), "直通类")
    assert early.verdict == "不符合" and "2025年1月1日以后首次在渝全职就业" in early.summary
    assert verdict(elig_app, DIRECT, direct_phd(postdoc="在站"), "直通类").verdict == "不符合"
    assert verdict(elig_app, DIRECT, direct_phd(university="普通高校"), "直通类").verdict == "不符合"
    unknown = verdict(elig_app, DIRECT, direct_phd(first_job_cq=None), "直通类")
    assert unknown.verdict == "可能符合" and "您首次在重庆全职就业是哪年哪月？" in unknown.questions


def test_a_catalogue_tier_is_reached_by_any_listed_title(elig_app: App) -> None:
    base = dict(residence="在渝", contract_years=5.0, chongqing_years=3.0)
    leader = stated(tier="重庆英才计划·创新创业领军人才", **base)
    assert verdict(elig_app, CATALOGUE, leader, "B类").verdict == "符合"
    assert verdict(elig_app, CATALOGUE, stated(postdoc="出站", education="博士", **base), "D类").verdict == "符合"
    founder = stated(tier="重庆英才计划·创新创业领军人才", share=5.0, **base)
    assert verdict(elig_app, CATALOGUE, founder, "B类").verdict == "不符合"  # 持股不低于10%


def test_a_programme_drawn_from_another_keeps_its_conditions(elig_app: App) -> None:
    # "“金牌陪跑人”从优秀“陪跑人”中产生": the 55-year limit of 优秀陪跑人 applies to it too.
    doc = "policy-peipaoren-2"
    assert set(elig_app.eligibility.conditions(doc)[1].tracks) >= {"优秀陪跑人", "金牌陪跑人"}
    older = stated(age=57, residence="在渝", contract_years=3.0)
    assert verdict(elig_app, doc, older, "金牌陪跑人").verdict == "不符合"
    assert verdict(elig_app, doc, older, "优秀陪跑人").verdict == "不符合"


def test_years_of_a_call_are_counted_to_the_end_of_its_window(elig_app: App) -> None:
    # 巴渝工匠: "在本职岗位连续工作满10年"; the window closes 2027-05-31, about 0.52 years after TODAY.
    _, conditions, _ = elig_app.eligibility.conditions("announcement-2027-bayu-craftsman-master-studio")
    ten = next(c for c in conditions.conditions if c.kind == "employer_years" and c.value == 10)
    assert ten.counted_at == dt.date(2027, 5, 31)
    evaluator = Evaluator(TODAY)
    assert evaluator.condition(ten, stated(employer_years=9.6)).status == "met"
    assert evaluator.condition(ten, stated(employer_years=9.4)).status == "not_met"


def test_an_open_event_is_open_to_its_audience_and_shows_who_it_is_for(elig_app: App) -> None:
    doc = "notice-2026-winter-online-recruitment-month"
    during: DocumentVerdict = verdict(elig_app, doc, stated(education="本科"), today=dt.date(2026, 12, 2))
    assert during.verdict == "符合"
    assert any("求职者" in c.text for c in during.free_text)
    after = verdict(elig_app, doc, stated(education="本科"), today=dt.date(2027, 1, 5))
    assert after.verdict == "不符合"
    # A briefing for units' staff ("分管人才工作的负责人和人事部门工作人员") is not presumed open to a PhD.
    briefing = "notice-2026-chongqing-talent-conference-policy-briefing"
    staff = verdict(elig_app, briefing, stated(education="博士"), today=dt.date(2026, 12, 2))
    assert staff.verdict == "可能符合" and staff.questions


def test_the_chat_reads_entry_first_job_share_school_and_skill() -> None:
    today = dt.date(2026, 12, 2)
    facts = facts_from_text("2024年9月来重庆入职一家企业，本人持股15%，博士毕业于双一流高校", today)
    assert (facts.first_job_cq.value, facts.share.value, facts.university.value) == ("2024-09", 15.0, "双一流")
    entry = facts_from_text("打算2027年3月进重庆高新区的企业博士后工作站", today)
    assert entry.postdoc_entry.value == "2027-03"
    assert facts_from_text("我是焊接技师，在涪陵区工作", today).skill.value == "技师"
    assert facts_from_text("我今年30岁", today).share.source == "unknown"
    asks = facts_from_text("我是中国籍，想问外籍高精尖缺人才认定我能不能办？", today)
    assert asks.nationality.value == "中国籍"  # asking about foreigners does not make one
    assert facts_from_text("法国籍，在渝中区做建筑师", today).nationality.value == "外籍"
    assert facts_from_text("博士，在区人社局当公务员", today).employer_type.value == "党政机关"
    teacher = facts_from_text("男，2019年9月起在巴南区重庆理工大学任教，2023年评上副教授", today)
    assert (teacher.title.value, teacher.gender.value, teacher.employer_years.value) == ("副高级", "男", 7.25)
    engineer = facts_from_text("本科，高级工程师，在璧山区一家企业", today)
    assert engineer.skill.source == "unknown" and engineer.title.value == "副高级"  # 高级工程师 is no 高级工
    station = facts_from_text("2026年6月1日进了西南大学博士后流动站，计划2028年5月底出站，还没拿过任何市级博士后资助",
                              today)
    assert (station.postdoc.value, station.awards.value) == ("在站", [])
