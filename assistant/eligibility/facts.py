"""A person's facts for eligibility: from a résumé, from what they say in the chat, or from a saved talent profile.

Only what the source states becomes a fact; everything else stays `unknown` (and becomes a question).
"""

from __future__ import annotations

import datetime as dt
import re

from assistant.eligibility.models import Fact, PersonFacts
from assistant.jobs.models import TalentProfile
from assistant.resume.models import ResumeFields
from assistant.vocab.education import degree_name, find_resume_degree
from assistant.vocab.places import find_district, find_other_region

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "半": 0.5}
_N = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十半])"
_AGE = re.compile(r"(?:今年|年龄[:：]?\s*)?(\d{2})\s*(?:周岁|岁)")
_BIRTH = re.compile(r"(\d{4})\s*(?:年|[.\-/])\s*(?:(\d{1,2})\s*(?:月|[.\-/])?\s*(?:(\d{1,2})\s*日)?)?\s*(?:出生"
                    r"|生人|生)|"
                    r"(?:出生(?:年月|日期)?|生日)[:：]?\s*(\d{4})\s*(?:年|[.\-/])\s*(\d{1,2})?")
_WORK = re.compile(r"工作(?:了)?\s*" + _N + r"\s*年(?:多)?|" + _N + r"\s*年(?:多)?(?:的)?(?:工作|从业)经(?:验|历)")
_CQ = re.compile(r"(?:在渝|在重庆|来渝|来重庆|在本市)[^，。；,]{0,12}?(?:工作|缴纳社保"
                 r"|缴社保)(?:了)?\s*" + _N + r"\s*年")
_EMPLOYER = re.compile(r"(?:在(?:现|这家|目前的?|当前的?)?单位|在(?:一家|某|这家)?[^，。；,]{0,12}?(?:企业"
                       r"|公司|高校|大学|医院|院所|研究院|单位)"
                       r")(?:工作|任职|上班)(?:了)?\s*" + _N + r"\s*年")
_CONTRACT = re.compile(r"(?:签(?:订|了)?)\s*" + _N + r"\s*年(?:以上)?(?:的)?(?:劳动|聘用)?(?:合同|协议)")
_OUT = re.compile(r"出站(?:已经|已)?(?:满)?\s*" + _N + r"\s*年|出站" + _N + r"年")
_DEGREE_DATE = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?\s*(?:博士|硕士|本科|研究生)?(?:毕业"
                          r"|取得(?:博士|硕士)?学位|获得(?:博士|硕士)?学位|拿到(?:博士|硕士)?学位)")
_DEGREE_AGO = re.compile(r"(?:博士|硕士"
                         r"|研究生)?毕业\s*" + _N + r"\s*年|(?:取得|获得)(?:博士|硕士)?学位\s*" + _N + r"\s*年")
_TITLES = (("正高级", r"正高|正高级|(?<!副)教授(?!级)|(?<!副)研究员|(?<!副)主任医师|教授级高级工程师|正高级工程师"),
           ("副高级", r"副高|副高级|副教授|副研究员|高级工程师|副主任医师|高级职称"),
           ("中级", r"中级职称|中级|讲师|工程师|主治医师"),
           ("初级", r"初级职称|助理工程师|助教"))
_EMPLOYER_TYPES = (("党政机关", r"公务员|党政机关|机关单位|(?:区|市|县)[^，。；,]{0,4}局(?:当|工作|上班)"),
                   ("高校", r"高校|大学|学院"), ("科研院所", r"科研院所|研究院|研究所|研究中心"),
                   ("医疗卫生机构", r"医院|医疗|卫生"), ("企业", r"企业|公司|民企|国企|工厂"))
_POSTDOC = (("在站", r"在站|博士后在读|正在做博士后|做博士后|进了[^，。；,]{0,12}(?:流动站|工作站)"
                     r"|(?:计划|预计|打算)[^，。；,]{0,10}出站"), ("出站", r"出站|博士后出站"),
            ("拟进站", r"拟进站|准备进站|打算进站|想进站|想做博士后"))
_FOREIGN = re.compile(r"外籍|外国人|外国籍|(?<!中)国籍|foreigner|non-?chinese", re.IGNORECASE)
_CHINESE = re.compile(r"中国籍|中国公民|中国国籍|中国护照")
_AWARD = re.compile(r"(?<![没未])(?:获得过|获过|已获得?|入选过|拿过|主持过)([^，。；,？?]{2,30})")
_NO_AWARD = re.compile(r"没有?(?:获得?过|拿过|入选过)(?:任何)?[^，。；,]{0,12}?(?:资助|支持|项目|人才计划|奖励)"
                       r"|未获得?过")
_GENDER = re.compile(r"^(?:我是)?(男|女)(?=[，,。 ]|生|性)|(?:性别)[:：]?\s*(男|女)|(男|女)(?:博士|硕士|生|性)")
_JOINED = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?(?:\s*\d{1,2}\s*日)?(?:起)?[^，。；,]{0,3}?"
                     r"(?:跳槽到|入职|加入|调入|起在|来到)")
_TITLE_LEVELS = {1: "初级", 2: "中级", 3: "副高级", 4: "正高级"}
_UNIVERSITY = (("双一流", r"双一流|(?<!\d)(?:985|211)(?!\d)|中国科学院大学|中科院大学"),
               ("世界排名前200", r"(?:QS|世界|全球)[^，。；,]{0,8}前\s*200"))
_SKILL = re.compile(r"高级技师|(?<!首席)技师|(?:高级|中级|初级)工(?!程)")
_REVENUE = re.compile(r"(?:软件业务收入|营业收入|销售收入|营收)[^，。；,\d]{0,4}(\d+(?:\.\d+)?)\s*(万|亿)")
_SHARE = re.compile(r"持股(?:比例)?(?:为|占)?\s*(\d+(?:\.\d+)?)\s*[%％]")
_MONTH = r"(\d{4})\s*年\s*(\d{1,2})\s*月"
_ENTRY = re.compile(_MONTH + r"(?:\s*\d{1,2}\s*日)?[^，。；,]{0,6}?"
                    r"(?:进站|进(?:入)?[^，。；,]{0,24}?(?:流动站|工作站))")
_FIRST_JOB = re.compile(_MONTH + r"(?:\s*\d{1,2}\s*日)?[^，。；,]{0,4}?(?:首次)?(?:来重庆|来渝|在重庆|在渝)"
                        r"[^，。；,]{0,4}?(?:入职|就业|工作|全职)")


def _number(text: str) -> float:
    return float(text) if text[0].isdigit() else float(_CN.get(text, 1))


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


def facts_from_text(text: str, today: dt.date, source: str = "stated") -> PersonFacts:
    """What a chat message (or any free text) states about the speaker: "我是35岁的博士，在渝北区一家企业工作3年"."""
    facts = PersonFacts()

    def put(name: str, value: object, evidence: str) -> None:
        setattr(facts, name, Fact(value=value, source=source, evidence=evidence))  # type: ignore[arg-type]

    if gender := _GENDER.search(text):
        put("gender", _first(*gender.groups()), gender.group(0))
    if age := _AGE.search(text):
        put("age", int(age.group(1)), age.group(0))
    if birth := _BIRTH.search(text):
        year = int(_first(birth.group(1), birth.group(4)) or 0)
        month = int(_first(birth.group(2), birth.group(5)) or 0)
        if 1930 < year <= today.year:
            put("birth_date", f"{year:04d}-{month:02d}" if month else f"{year:04d}", birth.group(0))
    degree = find_resume_degree(text)
    if degree is not None:
        put("education", degree, degree)
    if district := find_district(text):
        put("district", district, district)
        put("residence", "在渝", district)
    elif region := find_other_region(text):
        put("district", region, region)
        put("residence", "市外", region)
    elif re.search(r"在重庆|在渝|来渝|来重庆", text):
        put("residence", "在渝", "重庆")
    if work := _WORK.search(text):
        put("work_years", _number(_first(work.group(1), work.group(2)) or "1"), work.group(0))
    if employer := _EMPLOYER.search(text):
        years = _number(employer.group(1))
        put("employer_years", years, employer.group(0))
        if facts.work_years.source == "unknown":
            put("work_years", years, employer.group(0))
        if facts.residence.value == "在渝":
            put("chongqing_years", years, employer.group(0))
    if facts.employer_years.source == "unknown" and (joined := _JOINED.search(text)):
        since = dt.date(int(joined.group(1)), int(joined.group(2) or 1), 1)
        if since <= today:  # "2024年12月跳槽到…企业", "2012年起在璧山区一家企业"
            put("employer_years", round((today - since).days / 365.25, 2), joined.group(0))
    if cq := _CQ.search(text):
        put("chongqing_years", _number(cq.group(1)), cq.group(0))
    if contract := _CONTRACT.search(text):
        put("contract_years", _number(contract.group(1)), contract.group(0))
    for stage, pattern in _POSTDOC:
        if match := re.search(pattern, text):
            if "博士后" in text or stage != "在站":
                put("postdoc", stage, match.group(0))
                put("education", "博士后" if stage != "拟进站" else "博士", "博士后")
            break
    if out := _OUT.search(text):
        put("postdoc_out_years", _number(_first(out.group(1), out.group(2)) or "1"), out.group(0))
    if entry := _ENTRY.search(text):
        put("postdoc_entry", f"{int(entry.group(1)):04d}-{int(entry.group(2)):02d}", entry.group(0))
    if first := _FIRST_JOB.search(text):
        put("first_job_cq", f"{int(first.group(1)):04d}-{int(first.group(2)):02d}", first.group(0))
    if share := _SHARE.search(text):
        put("share", float(share.group(1)), share.group(0))
    for name, pattern in _UNIVERSITY:
        if school := re.search(pattern, text):
            put("university", name, school.group(0))
            break
    if skill := _SKILL.search(text):
        put("skill", skill.group(0), skill.group(0))
    if revenue := _REVENUE.search(text):
        put("employer_revenue", float(revenue.group(1)) * (10000 if revenue.group(2) == "亿" else 1), revenue.group(0))
    if when := _DEGREE_DATE.search(text):
        put("degree_date", f"{int(when.group(1)):04d}-{int(when.group(2) or 6):02d}", when.group(0))
    elif ago := _DEGREE_AGO.search(text):
        years = _number(_first(ago.group(1), ago.group(2)) or "1")
        put("degree_date", (today - dt.timedelta(days=round(years * 365.25))).strftime("%Y-%m"), ago.group(0))
    for level, pattern in _TITLES:
        if match := re.search(pattern, text):
            put("title", level, match.group(0))
            break
    for kind, pattern in _EMPLOYER_TYPES:
        if match := re.search(pattern, text):
            put("employer_type", kind, match.group(0))
            break
    if _CHINESE.search(text):  # first: "我是中国籍，想问外籍人才认定…" asks about foreigners
        put("nationality", "中国籍", _CHINESE.search(text).group(0))  # type: ignore[union-attr]
    elif _FOREIGN.search(text):
        put("nationality", "外籍", _FOREIGN.search(text).group(0))  # type: ignore[union-attr]
    if _NO_AWARD.search(text):
        put("awards", [], _NO_AWARD.search(text).group(0))  # type: ignore[union-attr]
    elif awards := [m.group(1) for m in _AWARD.finditer(text)]:
        put("awards", awards, "；".join(awards))
    return facts


def facts_from_resume(fields: ResumeFields, text: str, today: dt.date) -> PersonFacts:
    """Facts a résumé states: degree and major, when the degree was obtained, years of work, title, employer."""
    facts = facts_from_text(text, today, source="from_resume")
    facts.work_years = Fact()  # the résumé's own dated experience decides this, not a phrase in it
    facts.employer_years = Fact()
    facts.chongqing_years = Fact()
    facts.awards = Fact()  # a résumé lists what it lists: absence of an award is not a fact
    facts.district, facts.residence = Fact(), Fact()
    if fields.highest_degree:
        facts.education = Fact(value=fields.highest_degree, source="from_resume", evidence=fields.highest_degree)
    top = next((e for e in fields.education if e.degree == fields.highest_degree), None)
    if top is not None:
        if top.major:
            facts.field = Fact(value=top.major, source="from_resume", evidence=top.major)
        if top.dates and top.dates.end:
            year, month = top.dates.end
            facts.degree_date = Fact(value=f"{year:04d}-{month:02d}", source="from_resume", evidence=top.dates.text)
    if fields.work:
        facts.work_years = Fact(value=round(fields.total_years, 1), source="from_resume",
                                evidence=f"工作经历合计约{fields.total_years:g}年")
        current = next((w for w in fields.work if w.dates and w.dates.end is None and not w.internship), None)
        if current is not None and current.dates is not None:
            months = current.dates.months((today.year, today.month))
            org = current.organization or ""
            facts.employer_years = Fact(value=round(months / 12, 1), source="from_resume",
                                        evidence=f"{org} {current.dates.text}".strip())
            district = find_district(org) if org else None
            if district:
                facts.district = Fact(value=district, source="from_resume", evidence=org)
                facts.residence = Fact(value="在渝", source="from_resume", evidence=org)
            for kind, pattern in _EMPLOYER_TYPES:
                if org and re.search(pattern, org):
                    facts.employer_type = Fact(value=kind, source="from_resume", evidence=org)
                    break
            if current.title:
                for level, pattern in _TITLES:
                    if re.search(pattern, current.title):
                        facts.title = Fact(value=level, source="from_resume", evidence=current.title)
                        break
    for certificate in fields.certificates:
        for level, pattern in _TITLES[:2]:
            if re.search(pattern, certificate) and facts.title.source == "unknown":
                facts.title = Fact(value=level, source="from_resume", evidence=certificate)
    return facts


def facts_from_profile(profile: TalentProfile) -> PersonFacts:
    """A logged-in talent's saved profile (TalentMarket) as facts marked `profile`."""
    facts = PersonFacts()

    def put(name: str, value: object, evidence: str) -> None:
        setattr(facts, name, Fact(value=value, source="profile", evidence=evidence))  # type: ignore[arg-type]

    if profile.education is not None and degree_name(profile.education):
        put("education", degree_name(profile.education), "求职档案：学历")
    if profile.major:
        put("field", profile.major, "求职档案：专业")
    if profile.district:
        put("district", profile.district, "求职档案：区县")
        put("residence", "在渝", "求职档案：区县")
    if profile.years_experience is not None:
        put("work_years", profile.years_experience, "求职档案：工作年限")
    if profile.title_level in _TITLE_LEVELS:
        put("title", _TITLE_LEVELS[profile.title_level], "求职档案：职称")
    if profile.protected.age and (age := re.search(r"\d{2}", profile.protected.age)):
        put("age", int(age.group(0)), "求职档案：年龄")
    return facts
