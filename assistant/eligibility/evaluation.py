"""Evaluate a person's facts against documents' conditions: gates first, then each condition, then a verdict.

Every result cites the passage its condition was read from; a fact the person did not give is never assumed —
it makes the condition `unknown` and becomes a question.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable

from assistant.eligibility.models import (
    VERDICTS,
    Citation,
    Condition,
    ConditionResult,
    ConditionSet,
    DocumentVerdict,
    Fact,
    PersonFacts,
    Status,
    TrackResult,
    Verdict,
)
from assistant.retrieval.documents import DocumentMeta

EDUCATION_RANK = {"高中": 0, "中专": 0, "大专": 1, "本科": 2, "硕士": 3, "博士": 4, "博士后": 5}
TITLE_RANK = {"初级": 1, "中级": 2, "副高级": 3, "正高级": 4}
SKILL_RANK = {"初级工": 1, "中级工": 2, "高级工": 3, "技师": 4, "高级技师": 5}
SOON_DAYS = 14
_KIND_ORDER = {"announcement": 0, "policy": 1, "notice": 2}  # calls one applies to first, events last
_VERDICT_ORDER = {"符合": 0, "可能符合": 1, "不符合": 2}
_SOURCE = {"from_resume": "简历", "stated": "您在对话中说的", "profile": "求职档案", "unknown": "未知"}
# Conditions whose unknown does not hold a verdict back: untyped text (shown to check) and prior-award exclusions
# (stated as a caution: "已获…的不得重复申报").
_NON_BLOCKING = {"award_excluded", "share"}  # "share": only founders of a company are asked it
_THRESHOLD = re.compile(r"\d.{0,12}(?:不低于|不少于|以上|以下|以后|以前|之前|前|内)|(?:不低于|不少于|不超过|满)\d")
_WEAK = {"residence", "district", "window"}  # alone, they do not make a document about a person's eligibility
_BOILERPLATE = re.compile(r"无犯罪|身体健康|遵纪守法|信用|失信|学术不端|不良记录|违法|诚信|品行|职业道德|爱国|拥护"
                          r"|政治|如实|弄虚作假|承诺书|放宽|可不受|不受.{0,8}限制|优先|鼓励")


def is_boilerplate(c: Condition) -> bool:
    """An untyped integrity condition (无犯罪记录、身体健康 …) that is presumed and shown, not asked."""
    return c.kind == "other" and bool(_BOILERPLATE.search(c.text))


def blocks(c: Condition) -> bool:
    """Whether an unknown of this condition holds the verdict at 可能符合: every typed condition, and untyped text
    only as an alternative (of "符合下列条件之一", when no typed alternative is met). A standalone untyped clause is
    shown to check (materials, declarations, the organisation's duties are mixed in with them), not asked."""
    if c.subject == "organisation" or c.kind in _NON_BLOCKING or is_boilerplate(c) \
            or (c.kind in ("employer_type", "postdoc") and c.op == "not_in"):
        return False  # an exclusion of a group the person did not say they belong to is shown as a caution
    if c.kind != "other" or c.role == "any_of":
        return True
    return c.text.endswith("的") or bool(c.track and not c.track.startswith("第") and _THRESHOLD.search(c.text))


def condition_key(c: Condition) -> str:
    """What identifies a condition across documents for a yes/no answer ("contract_years:min:3")."""
    if c.kind == "other":
        return "other:" + hashlib.sha1(c.text.encode("utf-8")).hexdigest()[:10]
    value = "+".join(c.value) if isinstance(c.value, list) else str(c.value)
    extra = c.born_after.isoformat() if c.born_after else c.counted_at.isoformat() if c.counted_at else ""
    return f"{c.kind}:{c.op}:{value}:{extra}".rstrip(":")


def _fact_text(fact: Fact) -> str:
    return f"{fact.value}（{_SOURCE[fact.source]}{'：' + fact.evidence if fact.evidence else ''}）"


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float | str) and str(value).replace(".", "", 1).isdigit() else 0.0


def _years(fact: Fact) -> float | None:
    return float(fact.value) if isinstance(fact.value, int | float) else None


def _month_range(value: object) -> tuple[dt.date, dt.date] | None:
    """'1990', '1990-05' or '1990-05-12' → the first and last day it may be."""
    if isinstance(value, dt.date):
        return value, value
    if not isinstance(value, str):
        return None
    parts = [int(p) for p in value.split("-") if p.isdigit()]
    try:
        if len(parts) == 3:
            day = dt.date(*parts)
            return day, day
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            return first, last
        if len(parts) == 1:
            return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    except ValueError:
        return None
    return None


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_range(facts: PersonFacts, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The earliest and latest birth date the person's facts allow (a stated age is as of `today`)."""
    if facts.birth_date.source != "unknown":
        found = _month_range(facts.birth_date.value)
        if found:
            return found
    if isinstance(facts.age.value, int):
        age = facts.age.value
        return _years_before(today, age + 1) + dt.timedelta(days=1), _years_before(today, age)
    return None


class Evaluator:
    """Evaluates one person's facts against condition sets as of one date (the configured `today`)."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._plans: dict[int, tuple[ConditionSet, _Plan]] = {}
        self._statuses: dict[tuple[object, ...], Status] = {}
        self._verdicts: dict[tuple[object, ...], tuple[Verdict, str]] = {}

    # --- one condition ------------------------------------------------------------------------------------
    def condition(self, c: Condition, facts: PersonFacts) -> ConditionResult:
        key = condition_key(c)
        if key in facts.answers:
            yes = facts.answers[key]
            met = not yes if c.kind == "award_excluded" else yes
            return ConditionResult(condition=c, status="met" if met else "not_met", key=key,
                                   reason=f"{c.text}：您已确认{'是' if yes else '否'}",
                                   fact=f"{'是' if yes else '否'}（您的回答）")
        status, reason, fact, question = self._decide(c, facts)
        return ConditionResult(condition=c, status=status, reason=reason, fact=fact, question=question, key=key)

    def _decide(self, c: Condition, f: PersonFacts) -> tuple[Status, str, str | None, str | None]:
        kind = c.kind
        if kind == "age":
            return self._age(c, f)
        if kind == "education":
            need = str(c.value)
            if f.education.source == "unknown":
                return "unknown", f"要求{need}及以上学历，您的学历未知", None, "您的最高学历是什么？"
            have = str(f.education.value)
            ok = EDUCATION_RANK.get(have, -1) >= EDUCATION_RANK.get(need, 9) if need != "博士后" else have == "博士后"
            return ("met" if ok else "not_met", f"要求{need}{'' if need == '博士后' else '及以上'}，您是{have}",
                    _fact_text(f.education), None)
        if kind == "degree_years":
            return self._degree_years(c, f)
        if kind in ("work_years", "chongqing_years", "employer_years", "contract_years"):
            return self._years_min(c, f)
        if kind == "postdoc":
            return self._postdoc(c, f)
        if kind == "title":
            need = str(c.value)
            if f.title.source == "unknown":
                return "unknown", f"要求{need}及以上职称，您的职称未知", None, f"您是否具有{need}及以上职称？"
            ok = TITLE_RANK.get(str(f.title.value), 0) >= TITLE_RANK.get(need, 9)
            return ("met" if ok else "not_met", f"要求{need}及以上职称，您是{f.title.value}", _fact_text(f.title),
                    None)
        if kind == "nationality":
            if f.nationality.source == "unknown":
                return "unknown", "限外籍人才申请，您的国籍未知", None, "您是外籍人才吗？"
            ok = str(f.nationality.value) in (c.value if isinstance(c.value, list) else [str(c.value)])
            return "met" if ok else "not_met", f"限外籍人才，您是{f.nationality.value}", _fact_text(f.nationality), None
        if kind == "residence":
            if f.residence.source == "unknown":
                return "unknown", "要求在渝（全职）工作，您的工作地未知", None, "您目前是否在重庆全职工作？"
            ok = f.residence.value == "在渝"
            return ("met" if ok else "not_met", f"要求在渝工作，您的工作地：{f.residence.value}",
                    _fact_text(f.residence), None)
        if kind == "district":
            wanted = c.value if isinstance(c.value, list) else [str(c.value)]
            if f.district.source == "unknown":
                return ("unknown", f"只适用于{'、'.join(wanted)}，您的工作区县未知", None,
                        f"您是否在{'、'.join(wanted)}工作（或打算去那里）？")
            ok = str(f.district.value) in wanted
            if c.op == "not_in":
                ok = not ok
            return ("met" if ok else "not_met", f"适用地区：{'、'.join(wanted)}；您在{f.district.value}",
                    _fact_text(f.district), None)
        if kind == "employer_type":
            wanted = c.value if isinstance(c.value, list) else [str(c.value)]
            if f.employer_type.source == "unknown":
                return ("unknown", f"适用于在{'、'.join(wanted)}工作的人员，您的单位类型未知", None,
                        f"您所在单位是{'、'.join(wanted)}吗？")
            ok = str(f.employer_type.value) in wanted
            if c.op == "not_in":
                ok = not any(str(f.employer_type.value) in w or w in str(f.employer_type.value) for w in wanted)
                return ("met" if ok else "not_met", f"{'、'.join(wanted)}人员不在范围内；您在{f.employer_type.value}",
                        _fact_text(f.employer_type), None)
            return ("met" if ok else "not_met", f"适用单位类型：{'、'.join(wanted)}；您在{f.employer_type.value}",
                    _fact_text(f.employer_type), None)
        if kind == "award_excluded":
            awards = [*(f.awards.value if isinstance(f.awards.value, list) else []),
                      *([str(f.tier.value)] if f.tier.source != "unknown" else [])]
            words = str(c.value or c.text)
            hit = next((a for a in awards if _award_match(a, words)), None)
            if hit:
                return "not_met", f"已获得{words}的不能再申报（您：{hit}）", _fact_text(f.awards), None
            if f.awards.source == "unknown":
                return "unknown", f"如已获得{words}则不能申报（您未提到）", None, f"您是否已获得过{words}？"
            return "met", f"您未获得过{words}", _fact_text(f.awards), None
        if kind == "award_required":
            awards = [*(f.awards.value if isinstance(f.awards.value, list) else []),
                      *([str(f.tier.value)] if f.tier.source != "unknown"
                        and str(f.tier.value) not in ("无", "未认定", "否") else [])]
            words = str(c.value or c.text)
            hit = next((a for a in awards if _award_match(a, words)), None)
            if hit:
                return "met", f"要求{words}，您有：{hit}", _fact_text(f.awards), None
            if f.awards.source == "unknown" or awards:  # a list of some awards says nothing of the others
                return "unknown", f"要求{words}，您未提到", None, f"您是否{words}？"
            return "not_met", f"要求{words}，您未获得过", _fact_text(f.awards), None
        if kind == "tier":
            wanted = c.value if isinstance(c.value, list) else [str(c.value)]
            if f.tier.source == "unknown":
                return "unknown", f"须为经认定的{'、'.join(wanted)}，您的人才层次未知", None, \
                    f"您是否已认定为{'、'.join(wanted)}？"
            have = str(f.tier.value)
            if any(w in have for w in wanted):
                return "met", f"须为{'、'.join(wanted)}，您是{have}", _fact_text(f.tier), None
            if have in ("无", "未认定", "否"):
                return "not_met", f"须为经认定的{'、'.join(wanted)}，您尚未认定", _fact_text(f.tier), None
            return "unknown", f"须为经认定的{'、'.join(wanted)}，您是{have}", _fact_text(f.tier), \
                f"您是否已认定为{'、'.join(wanted)}？"
        if kind == "window":
            start, _, end = str(c.value).partition("/")
            begin, finish = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
            if self.today > finish:
                return "not_met", f"申报时间{begin}至{finish}，已截止", None, None
            if self.today < begin:
                return "met", f"申报时间{begin}至{finish}，尚未开始", None, None
            return "met", f"申报时间{begin}至{finish}，正在受理", None, None
        if kind == "first_job":
            return self._first_job(c, f)
        if kind == "postdoc_entry":
            return self._postdoc_entry(c, f)
        if kind == "share":
            least = _number(c.value)
            held = _years(f.share)
            if held is None:
                return "unknown", f"创办企业的，本人持股须不低于{least:g}%（您未提到）", None, \
                    f"您在所创办企业的持股比例是否不低于{least:g}%？"
            return ("met" if held >= least else "not_met", f"本人持股须不低于{least:g}%，您持股{held:g}%",
                    _fact_text(f.share), None)
        if kind == "university":
            wanted = c.value if isinstance(c.value, list) else [str(c.value)]
            if f.university.source == "unknown":
                return "unknown", f"要求毕业于{'、'.join(wanted)}高校，您的毕业院校未知", None, \
                    f"您的最高学位是否毕业于{'、'.join(wanted)}高校？"
            school = str(f.university.value)
            ok = any(w in school or ("前200" in w and "前200" in school) for w in wanted)
            return ("met" if ok else "not_met", f"要求毕业于{'、'.join(wanted)}高校，您：{school}",
                    _fact_text(f.university), None)
        if kind == "skill":
            need = str(c.value)
            if f.skill.source == "unknown":
                return "unknown", f"要求{need}及以上职业技能等级，您的技能等级未知", None, \
                    f"您是否具有{need}及以上职业技能等级？"
            ok = SKILL_RANK.get(str(f.skill.value), 0) >= SKILL_RANK.get(need, 9)
            return ("met" if ok else "not_met", f"要求{need}及以上职业技能等级，您是{f.skill.value}",
                    _fact_text(f.skill), None)
        if kind == "revenue":
            least = _number(c.value)
            earned = _years(f.employer_revenue)
            if earned is None:
                return "unknown", f"所在企业上年度收入须不低于{least:g}万元，您未提到", None, \
                    f"您所在企业上年度收入是否不低于{least:g}万元？"
            return ("met" if earned >= least else "not_met",
                    f"所在企业上年度收入须不低于{least:g}万元，您的企业约{earned:g}万元",
                    _fact_text(f.employer_revenue), None)
        if kind == "field":
            return "unknown", f"专业领域要求：{c.text}", None, "您的专业或研究领域是什么？"
        if c.subject == "organisation":
            return "unknown", f"单位（团队、项目）条件，请核实：{c.text}", None, None
        if is_boilerplate(c):
            return "unknown", f"请自行核实：{c.text}", None, None
        return "unknown", f"未能自动判断，请核实：{c.text}", None, f"您是否符合“{c.text}”？"

    def _age(self, c: Condition, f: PersonFacts) -> tuple[Status, str, str | None, str | None]:
        at = c.counted_at or self.today
        if f.gender.value == "女" and (c.female_value or c.female_born_after):
            c = c.model_copy(update={"value": c.female_value or c.value,
                                     "born_after": c.female_born_after or c.born_after})
        if c.born_after is not None:
            cutoff = c.born_after
            rule = f"须{cutoff.year}年{cutoff.month}月{cutoff.day}日以后出生"
        elif isinstance(c.value, int):
            cutoff = _years_before(at, c.value + 1) + dt.timedelta(days=1)
            rule = f"年龄不超过{c.value}周岁（计算至{at.isoformat()}）"
        else:
            return "unknown", c.text, None, None
        found = birth_range(f, self.today)
        if found is None:
            return "unknown", f"{rule}，您的年龄未知", None, "您的年龄（或出生年月）是？"
        low, high = found
        used = f.birth_date if f.birth_date.source != "unknown" else f.age
        if low >= cutoff:
            return "met", f"{rule}，符合", _fact_text(used), None
        if high < cutoff:
            return "not_met", f"{rule}，超出年龄限制", _fact_text(used), None
        return ("unknown", f"{rule}，按您给出的年龄无法确定", _fact_text(used),
                f"您的出生日期是否在{cutoff.year}年{cutoff.month}月{cutoff.day}日以后？")

    def _degree_years(self, c: Condition, f: PersonFacts) -> tuple[Status, str, str | None, str | None]:
        if f.education.source != "unknown" and EDUCATION_RANK.get(str(f.education.value), -1) < 3 \
                and "博士" in c.text:
            return "not_met", f"要求博士学位：{c.text}", _fact_text(f.education), None
        found = _month_range(f.degree_date.value) if f.degree_date.source != "unknown" else None
        if isinstance(c.value, str):
            since = dt.date.fromisoformat(c.value)
            if found is None:
                return "unknown", f"须{since}以后取得学位，您取得学位的时间未知", None, "您是哪年哪月取得博士学位的？"
            low, high = found
            status: Status = "met" if low >= since else "not_met" if high < since else "unknown"
            return status, f"须{since}以后取得学位", _fact_text(f.degree_date), None
        limit = _number(c.value)
        if found is None:
            return ("unknown", f"取得学位不超过{limit:g}年，您取得学位的时间未知", None,
                    f"您取得学位是否不超过{limit:g}年？")
        low, high = found
        newest = (self.today - high).days / 365.25
        oldest = (self.today - low).days / 365.25
        status = "met" if oldest <= limit else "not_met" if newest > limit else "unknown"
        return status, f"取得学位不超过{limit:g}年，您约{newest:.1f}年", _fact_text(f.degree_date), None

    def _years_min(self, c: Condition, f: PersonFacts) -> tuple[Status, str, str | None, str | None]:
        labels = {"work_years": ("工作年限", "您工作是否满{n}年？"),
                  "chongqing_years": ("在渝工作（缴纳社保）年限", "您在重庆工作（缴纳社保）是否满{n}？"),
                  "employer_years": ("现单位（现职）工作年限", "您在现单位（现职）是否满{n}年？"),
                  "contract_years": ("与在渝单位签订的劳动（聘用）合同期限",
                                     "您是否与在渝单位签订了{n}年以上劳动（聘用）合同？")}
        label, ask = labels[c.kind]
        need = _number(c.value)
        shown = f"{round(need * 12)}个月" if need < 1 else f"{need:g}年"
        fact: Fact = getattr(f, c.kind)
        if c.kind == "chongqing_years" and fact.source == "unknown" and f.residence.value == "市外":
            return "not_met", f"要求{label}满{shown}，您不在重庆工作", _fact_text(f.residence), None
        have = _years(fact)
        if have is None:
            return "unknown", f"要求{label}满{shown}，您未提到", None, ask.format(n=shown if need < 1 else f"{need:g}")
        if c.counted_at is not None and c.counted_at > self.today and c.kind != "contract_years":
            # a call's 满N年 may be reached before its window closes: counted up to the window's end
            at_end = have + (c.counted_at - self.today).days / 365.25
            return ("met" if at_end >= need else "not_met",
                    f"要求{label}满{shown}（计算至{c.counted_at.isoformat()}），届时您约{at_end:.1f}年",
                    _fact_text(fact), None)
        return ("met" if have >= need else "not_met", f"要求{label}满{shown}，您约{have:g}年", _fact_text(fact), None)

    def _postdoc(self, c: Condition, f: PersonFacts) -> tuple[Status, str, str | None, str | None]:
        stages = c.value if isinstance(c.value, list) else [str(c.value)]
        need = "或".join(stages)
        if c.op == "not_in":
            if f.postdoc.source != "unknown":
                ok = str(f.postdoc.value) not in stages
                return ("met" if ok else "not_met", f"{need}博士后不在申报范围内，您：{f.postdoc.value}",
                        _fact_text(f.postdoc), None)
            return "unknown", f"{need}博士后不在申报范围内", None, f"您目前是否为{need}博士后？"
        if f.postdoc.source != "unknown":
            ok = str(f.postdoc.value) in stages
            return "met" if ok else "not_met", f"要求{need}博士后，您：{f.postdoc.value}", _fact_text(f.postdoc), None
        if f.education.source != "unknown":
            rank = EDUCATION_RANK.get(str(f.education.value), -1)
            if rank < 4 or (rank == 4 and "拟进站" not in stages):
                return "not_met", f"要求{need}博士后，您是{f.education.value}", _fact_text(f.education), None
        ask = "您是否拟进站或已进站做博士后？" if "拟进站" in stages else "您目前是在站博士后还是已出站？"
        return "unknown", f"要求{need}博士后，您的情况未知", None, ask

    def _first_job(self, c: Condition, f: PersonFacts) -> tuple[Status, str, str | None, str | None]:
        found = _month_range(f.first_job_cq.value) if f.first_job_cq.source != "unknown" else None
        if isinstance(c.value, str):
            since = dt.date.fromisoformat(c.value)
            rule = f"须{since.year}年{since.month}月{since.day}日以后首次在渝全职就业"
            if found is None:
                return "unknown", f"{rule}，您首次在渝全职就业的时间未知", None, "您首次在重庆全职就业是哪年哪月？"
            low, high = found
            status: Status = "met" if low >= since else "not_met" if high < since else "unknown"
            return status, rule, _fact_text(f.first_job_cq), None
        limit = _number(c.value)
        rule = f"首次在渝全职就业不超过{limit:g}年"
        if found is None:
            return ("unknown", f"{rule}，您首次在渝全职就业的时间未知", None,
                    f"您首次在重庆全职就业是否不超过{limit:g}年？")
        low, high = found
        newest, oldest = (self.today - high).days / 365.25, (self.today - low).days / 365.25
        status = "met" if oldest <= limit else "not_met" if newest > limit else "unknown"
        return status, f"{rule}，您约{newest:.1f}年", _fact_text(f.first_job_cq), None

    def _postdoc_entry(self, c: Condition, f: PersonFacts) -> tuple[Status, str, str | None, str | None]:
        start, _, end = str(c.value).partition("/")
        rule = "进站时间须" + "，".join(
            [*([f"在{start}以后"] if start else []), *([f"不晚于{end}"] if end else [])])
        found = _month_range(f.postdoc_entry.value) if f.postdoc_entry.source != "unknown" else None
        if found is None:
            return "unknown", f"{rule}，您的（拟）进站时间未知", None, "您（计划）哪年哪月进站？"
        low, high = found
        after = dt.date.fromisoformat(start) if start else dt.date.min
        before = dt.date.fromisoformat(end) if end else dt.date.max
        status: Status = "met" if low >= after and high <= before else \
            "not_met" if high < after or low > before else "unknown"
        return status, rule, _fact_text(f.postdoc_entry), None

    # --- one document -------------------------------------------------------------------------------------
    def document(self, meta: DocumentMeta, conditions: ConditionSet, facts: PersonFacts,
                 track: str | None = None) -> DocumentVerdict | None:
        """The document's verdict (over its best programme, or over `track`), or None when it states no typed
        condition about a person."""
        typed = [c for c in conditions.conditions if c.kind not in ("other", "window") and c.role != "amount"]
        if not concerns_person(meta.kind, conditions):
            return None
        cites: dict[str, int] = {}

        def cite(c: Condition) -> None:
            cites.setdefault(c.passage, len(cites) + 1)

        gates: list[ConditionResult] = []
        validity = meta.validity(self.today)
        if validity != "active":
            end = meta.deadline or meta.expires
            reason = "文件已被新文件取代" if validity == "superseded" else f"已过期或申报已截止（{end}）"
            # Cite the window the text states; without one, the dates are the document's metadata (its title cited).
            window = next((c for c in conditions.conditions if c.kind == "window"), None)
            gate = Condition(id="expired", doc_id=meta.id, kind="window", text=window.text if window else meta.title,
                             passage=window.passage if window else meta.title, value=window.value if window else None)
            gates.append(ConditionResult(condition=gate, status="not_met", reason=reason))
        region = [c for c in typed if c.kind == "district" and c.op == "in" and not c.track]
        for c in region:
            gates.append(self.condition(c, facts))
        memo: dict[str, ConditionResult] = {}
        results = [self._track(name, conditions.conditions, facts, memo) for name in _tracks(conditions)]
        results = [r for r in results if r.results] or results
        chosen = [r for r in results if r.track == track]
        best = chosen[0] if chosen else min(
            results, key=lambda r: (_VERDICT_ORDER[r.verdict], -sum(x.status == "met" for x in r.results)))
        verdict: Verdict = best.verdict
        if any(g.status == "not_met" for g in gates):
            verdict = "不符合"
        elif any(g.status == "unknown" for g in gates) and verdict == "符合":
            verdict = "可能符合"
        windows = [self.condition(c, facts) for c in conditions.conditions
                   if c.kind == "window" and c.track in ("", best.track) or (c.kind == "window" and best.track
                                                                              and overlap(c.track, best.track))]
        if windows and all(w.status == "not_met" for w in windows):
            verdict = "不符合"
            gates.extend(windows)
        for result in [*gates, *best.results, *best.amounts]:
            cite(result.condition)
        free = [r.condition for r in best.results if r.condition.kind == "other"]
        for c in free:
            cite(c)
        asked = {r.question: r.key for r in [*gates, *open_results(best.results)] if r.question}
        amounts = list(dict.fromkeys(
            a.condition.amount or a.condition.text for a in best.amounts if a.status != "not_met"))
        deadline = meta.deadline
        window_ends = [dt.date.fromisoformat(str(w.condition.value).partition("/")[2]) for w in windows
                       if w.status == "met"]
        if window_ends:
            deadline = min(window_ends)
        soon = deadline is not None and 0 <= (deadline - self.today).days <= SOON_DAYS and verdict != "不符合"
        return DocumentVerdict(
            doc_id=meta.id, title=meta.title, kind=meta.kind, region=meta.region, verdict=verdict,
            summary=_summary(verdict, best, gates), gates=gates, tracks=results, best_track=best.track,
            free_text=free, amounts=amounts, questions=list(asked), question_keys=list(asked.values()),
            materials=conditions.materials,
            deadline=deadline, deadline_soon=soon, where=conditions.where,
            citations=[Citation(n=n, doc_id=meta.id, passage=p) for p, n in cites.items()])

    def _track(self, track: str, conditions: list[Condition], facts: PersonFacts,
               memo: dict[str, ConditionResult]) -> TrackResult:
        own = [c for c in conditions if c.track in ("", track) and c.kind != "window"
               and not (c.kind == "district" and not c.track)]
        gates = [c for c in own if c.role != "amount"]
        results = []
        for c in gates:  # a condition common to every programme is evaluated once
            if c.id not in memo:
                memo[c.id] = self.condition(c, facts)
            results.append(memo[c.id])
        amounts = [self.condition(c, facts) for c in own if c.role == "amount"]
        amounts += [ConditionResult(condition=c, status="met", reason=c.amount or c.text)
                    for c in conditions if c.role == "amount" and c.kind == "other" and c.track != track
                    and (not track or overlap(c.track, track))]
        return TrackResult(track=track, verdict=_verdict(results), results=results, amounts=amounts)

    def quick(self, meta: DocumentMeta, conditions: ConditionSet, facts: PersonFacts) -> tuple[Verdict, str] | None:
        """The verdict and best programme only, by the same rules as `document` without building the checklist
        (the notifier runs it for every opted-in talent; a plan per document is kept for this evaluator's life)."""
        values = {name: _hashable(fact.value) if fact.source != "unknown" else None
                  for name, fact in facts if isinstance(fact, Fact)}
        return self.quick_values(meta, conditions, values, facts.answers, lambda: facts)

    def quick_values(self, meta: DocumentMeta, conditions: ConditionSet, values: dict[str, object],
                     answers: dict[str, bool], facts: Callable[[], PersonFacts]) -> tuple[Verdict, str] | None:
        """`quick` over the known facts' values (by field name, hashable); `facts` builds the `PersonFacts` only
        when a (condition, the facts it reads) has not been decided yet — tens of thousands of stored profiles are
        read this way without rebuilding each one."""
        plan = self._plans.get(id(conditions))
        if plan is None or plan[0] is not conditions:
            plan = self._plans[id(conditions)] = (conditions, _plan(conditions, meta.kind))
        members, tracks, region, windows = plan[1]
        if tracks is None:
            return None
        if meta.validity(self.today) != "active":
            return "不符合", ""
        known = self._statuses
        get = values.get
        statuses: list[Status] = []
        for c, key, reads, same in members:  # each distinct condition once, whichever programmes share it
            # A status depends only on the facts its kind reads: the same (condition, those facts) is decided once.
            answer = answers.get(key)
            memo = (same, answer, *[get(name) for name in reads])
            found = known.get(memo)
            if found is None:
                if answer is not None:
                    found = "met" if (not answer if c.kind == "award_excluded" else answer) else "not_met"
                else:
                    found = self._decide(c, facts())[0]
                known[memo] = found
            statuses.append(found)
        # The verdict depends only on these statuses: many talents share the same vector, decided once.
        vector = (id(conditions), *statuses)
        decided = self._verdicts.get(vector)
        if decided is None:
            decided = self._verdicts[vector] = _combine(members, tracks, region, windows, statuses)
        return decided

    def all(self, documents: Iterable[tuple[DocumentMeta, ConditionSet]], facts: PersonFacts) -> list[DocumentVerdict]:
        """Every document's verdict that has conditions, 符合 first, then 可能符合, then 不符合."""
        out = [v for meta, conditions in documents if (v := self.document(meta, conditions, facts)) is not None]
        return sorted(out, key=lambda v: (_VERDICT_ORDER[v.verdict], _KIND_ORDER.get(v.kind, 3), len(v.questions),
                                          v.doc_id))


def _combine(members: list[_Member], tracks: list[tuple[str, list[tuple[int, bool]]]],
             region: list[int], windows: list[int], statuses: list[Status]) -> tuple[Verdict, str]:
    """A document's verdict and best programme from its distinct conditions' statuses (as `document` decides)."""
    best: tuple[int, int, str] | None = None
    for name, indexed in tracks:
        pairs = [(members[i][0], statuses[i], blocking) for i, blocking in indexed]
        candidate = (_VERDICT_ORDER[_verdict_of(pairs)], -sum(x == "met" for _, x, _ in pairs), name)
        if best is None or candidate < best:
            best = candidate
    assert best is not None
    verdict: Verdict = VERDICTS[best[0]]
    gates = [statuses[i] for i in region]
    if "not_met" in gates:
        verdict = "不符合"
    elif "unknown" in gates and verdict == "符合":
        verdict = "可能符合"
    opened = [statuses[i] for i in windows
              if members[i][0].track in ("", best[2]) or (best[2] and overlap(members[i][0].track, best[2]))]
    if opened and all(w == "not_met" for w in opened):
        verdict = "不符合"
    return verdict, best[2]


def open_results(results: list[ConditionResult]) -> list[ConditionResult]:
    """The unknowns that hold the verdict back: blocking ones outside any-of groups already met."""
    settled = {r.condition.group for r in results if r.condition.group and r.status == "met"}
    return [r for r in results if r.status == "unknown" and blocks(r.condition)
            and not (r.condition.group and r.condition.group in settled)]


def _verdict(results: list[ConditionResult]) -> Verdict:
    return _verdict_of([(r.condition, r.status, blocks(r.condition)) for r in results])


def _verdict_of(pairs: list[tuple[Condition, Status, bool]]) -> Verdict:
    """Hard gates all met, one of each any-of group met → 符合; one not met → 不符合; unknowns left → 可能符合."""
    unknown = False
    groups: dict[str, list[Status]] = {}
    for c, status, blocking in pairs:
        if not blocking:
            if status == "not_met":
                return "不符合"
            continue
        if c.role == "any_of" and c.group:
            groups.setdefault(c.group, []).append(status)
        elif status == "not_met":
            return "不符合"
        elif status == "unknown":
            unknown = True
    for members in groups.values():
        if "met" in members:
            continue
        if all(m == "not_met" for m in members):
            return "不符合"
        unknown = True
    return "可能符合" if unknown else "符合"


# The facts each kind of condition reads (for the notifier's memo of decided statuses).
_READS: dict[str, tuple[str, ...]] = {
    "age": ("age", "birth_date", "gender"), "education": ("education",), "degree_years": ("education", "degree_date"),
    "work_years": ("work_years",), "chongqing_years": ("chongqing_years", "residence"),
    "employer_years": ("employer_years",), "contract_years": ("contract_years",), "postdoc": ("postdoc", "education"),
    "title": ("title",), "tier": ("tier",), "nationality": ("nationality",), "residence": ("residence",),
    "district": ("district",), "employer_type": ("employer_type",), "award_required": ("awards", "tier"),
    "award_excluded": ("awards", "tier"), "window": (), "field": (), "other": (),
    "first_job": ("first_job_cq",), "postdoc_entry": ("postdoc_entry",), "share": ("share",),
    "university": ("university",), "skill": ("skill",), "revenue": ("employer_revenue",),
}


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


# A document's plan for `quick_values`: its distinct conditions (with key and the facts they read), per programme
# the indexes of its members with whether each blocks, the region gates' and the windows' indexes.
_Member = tuple[Condition, str, tuple[str, ...], tuple[object, ...]]
_Plan = tuple[list[_Member], list[tuple[str, list[tuple[int, bool]]]] | None, list[int], list[int]]


def concerns_person(kind: str, conditions: ConditionSet) -> bool:
    """Whether a document states who may apply: a typed condition about a person, or, for an event notice, any
    condition at all (its audience lines are shown to check; an open event is open to them)."""
    if kind == "notice" and any(c.role != "amount" and c.subject == "person" for c in conditions.conditions):
        return True
    return any(c.kind not in (*_WEAK, "other") and c.role != "amount" for c in conditions.conditions)


def _plan(conditions: ConditionSet, kind: str = "policy") -> _Plan:
    """Per programme, its conditions with their keys; the region gates; the windows (None: no person conditions)."""
    members: list[_Member] = []
    index: dict[int, int] = {}  # by object: a sidecar corrected by hand may repeat an id

    def at(c: Condition) -> int:
        if id(c) not in index:
            index[id(c)] = len(members)
            key = condition_key(c)
            # what else `_decide` reads of the condition besides its key
            same = (key, c.female_value, c.female_born_after, c.text if c.kind in ("degree_years", "other") else "")
            members.append((c, key, _READS.get(c.kind, ()), same))
        return index[id(c)]

    typed = [c for c in conditions.conditions if c.kind not in ("other", "window") and c.role != "amount"]
    region = [at(c) for c in typed if c.kind == "district" and c.op == "in" and not c.track]
    windows = [at(c) for c in conditions.conditions if c.kind == "window"]
    if not concerns_person(kind, conditions):
        return members, None, region, windows
    tracks = [(name, [(at(c), blocks(c)) for c in conditions.conditions
                      if c.track in ("", name) and c.kind != "window" and c.role != "amount"
                      and not (c.kind == "district" and not c.track)]) for name in _tracks(conditions)]
    return members, tracks, region, windows


def _tracks(conditions: ConditionSet) -> list[str]:
    """The document's programmes that have conditions of their own ([""] when it has none)."""
    return [t for t in dict.fromkeys(c.track for c in conditions.conditions if c.track and c.role != "amount"
                                     and c.kind not in _WEAK and c.subject == "person")] or [""]


def _summary(verdict: Verdict, best: TrackResult, gates: list[ConditionResult]) -> str:
    failed = [g.reason for g in gates if g.status == "not_met"] or [
        r.reason for r in best.results if r.status == "not_met"]
    name = f"（{best.track}）" if best.track and not best.track.startswith("第") else ""
    if verdict == "符合":
        to_check = sum(r.status == "unknown" for r in best.results)
        if to_check:  # untyped clauses and exclusions are shown to check, never presumed met in the wording
            return f"按您提供的信息，已判断的条件均满足{name}；另有{to_check}项请您对照原文自行核实（标“?”）。"
        return f"按您提供的信息，各项条件均满足{name}。"
    if verdict == "可能符合":
        open_items = sum(r.status == "unknown" for r in best.results if blocks(r.condition))
        return f"已知条件满足{name}，还有{open_items}项需要您确认。"
    return "不满足：" + "；".join(failed[:2]) + "。"


def _award_match(award: str, words: str) -> bool:
    """An award the person holds is one the condition names: one of its alternatives (或、和) appears in it."""
    parts = [p.strip("“”\"（）() ") for p in re.split(r"或|、|和|及|，", words)]
    return any(len(p) >= 4 and p in award for p in parts) or overlap(award, words)


def overlap(a: str, b: str) -> bool:
    """Two names of the same thing ("创新人才支持计划" / "博士后创新人才支持计划")."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    grams = {a[i:i + 2] for i in range(len(a) - 1)}
    other = {b[i:i + 2] for i in range(len(b) - 1)}
    return bool(grams and other) and len(grams & other) / min(len(grams), len(other)) >= 0.6
