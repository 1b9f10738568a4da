"""Rules that read a document's eligibility conditions from its own text: articles, numbered lists, tables.

Every condition keeps the block (article, list item, table row) it was read from as its passage, so that what is
shown can always be checked against the document. A clause inside a condition list that no rule types is kept
as an `other` condition (free text), never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from assistant.eligibility.models import Condition, ConditionRole, ConditionSet
from assistant.retrieval.documents import Block, LoadedDocument
from assistant.vocab.places import district_names

EXTRACTOR_VERSION = "rules-3"  # bump when the rules change: unreviewed sidecars are then extracted again
_NUM = "一二三四五六七八九十两"
_ARTICLE = re.compile(rf"^第[{_NUM}百零\d]+条")
_ITEM = re.compile(rf"^(?:（[{_NUM}\d]+）|\([{_NUM}\d]+\)|\d+[.．、]|[①-⑳])\s*")
_COND_SECTION = re.compile(r"条件|对象|资格|要求|适用范围|申报范围|支持范围|认定标准|认定范围")
_MATERIAL_SECTION = re.compile(r"材料")
_WHERE_SECTION = re.compile(r"申报方式|申报程序|报名方式|申请方式|受理|办理|申报渠道|申报流程|报名流程")
_TIME_SECTION = re.compile(r"申报时间|报名时间|受理时间|申请时间|时间安排")
_ANY_OF_LEAD = re.compile(r"(?:下列|以下)(?:条件|情形)?之一|(?:具备|满足)(?:下列|以下)?(?:任一|其中一项|一项)")
_EXCLUDE_LEAD = re.compile(r"(?:下列|以下)情形.{0,6}(?:不得|不予|不再)")
_ALL_LEAD = re.compile(r"(?:下列|以下)(?:基本)?条件|(?:应当|应|须)(?:同时)?(?:具备|符合|满足)")
_PERSON_NOISE = re.compile(r"子女|配偶|(?<!外国)专家|评审委员|导师|成员|占比|比例|团队中|学生|研究生毕业|累计指导"
                           r"|分之|人员不少于|人数")
_GENERIC_SUBJECT = re.compile(r"年龄要求|年龄|保障对象|申报人|申请人|认定对象|申报对象|申请对象|支持对象"
                              r"|本办法所称|本措施所称|适用于|应当在渝|应在渝")
_GENERIC_ARTICLE = re.compile(r"申报人|申请人|认定对象|申报对象|申请对象|支持对象|保障对象|服务对象"
                              r"|适用对象|本办法所称|本措施所称|适用于")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|元|万美元)")
_GIVE = re.compile(r"给予|资助|补贴|补助|奖励|奖补|每人|每项|支持|配套|享受")
_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_SPAN = re.compile(_DATE + r"(?:\d{1,2}:\d{2})?\s*(?:至|—|-|~|到)\s*" + r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_COUNTED_AT = re.compile(r"(?:截至|截止到?|计算至|以)" + _DATE + r"(?:为准|计算)?")

_AGE = re.compile(r"(?:不超过|不满|未满|不高于|在)?(\d{2})周岁(?:以下|及以下|以内|（含）)?")
_BORN_AFTER = re.compile(_DATE + r"(?:以后|及以后|之后|后)出生")
_EDU = re.compile(r"(博士后|博士学位|博士研究生|博士|硕士学位|硕士研究生|硕士|研究生|本科|学士学位|大专|专科)"
                  r"(?:及以上|以上)?(?:学历|学位)?")
_EDU_CUE = re.compile(r"具有|具备|取得|获得|以上|学历|学位|的(?:博士|硕士|高校毕业生)|引进|全职在渝工作的")
_TITLE = re.compile(r"(正高级|副高级|中级|初级|高级)(?:专业技术)?(?:以上|及以上)?(?:职称|专业技术职务)|(高级工程师)")
_WORK = re.compile(r"(?:(\d+)年以上(?:工作|从业|工程|相关工作|管理|行业)?经(?:验|历))"
                   r"|(?:(?:工作|从业)(?:经历|经验|年限)?(?:满|不少于|累计)(\d+)年)")
_CQ_YEARS = re.compile(r"在渝(?:连续)?(?:全职)?工作(?:满|不少于)(\d+)年")
_CQ_MONTHS = re.compile(r"在渝(?:连续)?缴纳社会保险(?:或个人所得税)?(?:满|不少于)(\d+)个月")
_EMPLOYER = re.compile(r"(?:担任|任职|入职|在现单位工作|在本职岗位(?:连续)?工作|在现岗位(?:连续)?工作)"
                       r"[^，。；]{0,24}?满(\d+)年")
_DEGREE_YEARS = re.compile(r"(?:获得|取得)博士学位(?:不超过|未满|不满)(\d+)年|毕业(\d+)年(?:内|以内)")
_DEGREE_AFTER = re.compile(_DATE + r"(?:以后|及以后|之后)取得(博士|硕士)学位")
_CONTRACT = re.compile(r"签订(\d+)年以上(?:劳动|聘用|劳动（聘用）|全职)?(?:合同|协议)")
_POSTDOC_OUT_YEARS = re.compile(r"出站(?:后)?(?:满|不满|未满|不超过)(\d+)年")
_POSTDOC = re.compile(r"(在站博士后|面向在站|在站满|拟进站|新进站|进站人员|出站留渝|出站后留在本市|在市外出站)")
_FOREIGN = re.compile(r"外籍|外国籍|外国人")
_RESIDENCE = re.compile(r"在渝全职工作|全职在渝|在本市全职工作|应当?在渝工作|在渝创新创业|来渝工作|在本市工作")
_EXCLUDED = re.compile(r"已获(?:得)?([^，。；]{2,40}?)(?:资助|支持|认定|立项)的?[，,]?(?:不得|不再|不予)"
                       r"|只能获得一次([^，。；]{0,30})")
_REQUIRED = re.compile(r"主持(?:过)?([^，。；]{0,12}(?:国家级|省部级)[^，。；]{0,12}项目)")
_EMPLOYER_TYPE = re.compile(r"(?:进入|在|到)(企业|高校|科研院所|医疗卫生机构|区县|基层单位)")
_FREE_CUE = re.compile(r"须|应当|应|具有|具备|无|不得|承诺|遵纪守法|身体健康")
_TRACK_PREFIX = re.compile(r"^([^：:，。；\d（(]{2,16})(?:[（(][^）)]*[）)])?[：:]")
_ORG_ARTICLE = re.compile(r"^第[^条]+条\s*(?:设站单位|高校|企业|用人单位|各|市(?!外)|区|对|(?:本办法|本措施"
                          r"|本细则|本计划)(?:由|自|中|未|的)"
                          r"|建立|实施|支持|鼓励|推动|完善)")
_ADMIN = re.compile(r"负责解释|起施行|弄虚作假|追回|退回|有效期")
_COND_CLAUSE = re.compile(r"是指|对象为|经认定的|应|须|不超过|不低于|以上|以下|满\d|满[一二三四五]|具有"
                          r"|具备|取得|获得|签订|面向|的$|的人才$|人员$")
_NOT_COND = re.compile(r"发放|拨付|提供|配套|设站单位|考核合格率|只能获得一次(?!.*资助)|承诺|出站后留渝工作|服务期")
_SUBJECT = re.compile(r"^([^，。；\d应须具]{2,40}?)(?:年龄)?(?:一般|原则上)?(?:不超过|不满|在)\d{2}周岁"
                      r"|^([^，。；\d]{2,20}?)(?:应当|应|须)(?:具有|具备)")
_POSITION = re.compile(r"总经理|负责人|管理职务|高级管理|主任|院长|总监|董事|首席|中层")
_ORG_CLAUSE = re.compile(r"设站单位|依托单位|用人单位(?:应|须)|团队(?:应|须)|按规定|可按|可申请|可直接|享受|纳入")
_ORG_SUBJECT = re.compile(r"团队|单位|企业|机构|基地|平台|项目|院校|高校|载体|工作站")
_FEMALE = re.compile(r"女性(?:可)?放宽(?:至|到)(\d{2})周岁")
_EXCLUDED_PROGRAMME = re.compile(r"已(?:获得?|入选|获批|承担)([^，。；的]{2,30}?)(?:支持|资助|立项|认定)?的")
_NOT_IN_SCOPE = re.compile(r"([^，。；]{2,40}?)的?(?:工作人员|人员)?不在(?:本项目|本计划|本次|本批)?申报范围"
                           r"|([^，。；]{2,40}?)(?:工作人员)?不得申报")
_TIER = re.compile(r"经认定的(新重庆人才)|(新重庆人才)（[A-E]类至[A-E]类）|(新重庆人才)[A-E]类")
_RECORD = re.compile(r"^近(\d+|[一二三四五])年[^，。；]{0,6}(?:主持|完成|参与|作为|获得|主导|孵化|促成|承担)")
_GENERIC_TRACK = re.compile(r"(?:年龄|学历|基本|申报|资格|其他|共同|通用|限制)(?:要求|条件|规定)?|限制条件|申报限制")
_LIMIT = re.compile(r"不低于|不少于|不超过|以上|以后|以前|之前|前进站|满\d")
_TITLE_LEVEL = {"高级": "副高级", "高级工程师": "副高级"}
_AUDIENCE_SECTION = re.compile(r"对象|范围")
_STAFF_AUDIENCE = re.compile(r"负责人|工作人员|管理人员|人事|人力资源部门|分管|联络员|经办人")
_OPEN_AUDIENCE = re.compile(r"求职者|有意|各类|不限|均可|社会各界|广大|所有|感兴趣|欢迎|海内外|国内外|市民")
_GROUP_EDU = re.compile(r"高校毕业生|大学毕业生|大学生")  # a group of graduates: any higher-education level
_LIST_JOIN = re.compile(r"[、和及与]|以及")
_WIDENS = re.compile(r"^(?:可认定为|可视同|亦可|也可|同样可)")  # "柔性引进…的，可认定为相应层次的…": another path
_BONUS = re.compile(r"^(?:再|另|并另|还可|增加|加发|提高)")  # "带动3人以上就业的，再给予…": only the amount
_FIRST_JOB_AFTER = re.compile(_DATE + r"(?:以后|及以后|之后)首次在渝全职就业")
_FIRST_JOB_YEARS = re.compile(r"首次在渝(?:全职)?就业(?:不超过|未满|不满)(\d+)年")
_ENTRY_AFTER = re.compile(_DATE + r"(?:以后|及以后|之后)进站")
_ENTRY_BEFORE = re.compile(_DATE + r"(?:前|以前|之前)进站")
_SHARE = re.compile(r"持股(?:比例)?(?:不低于|不少于|在)(\d+(?:\.\d+)?)[%％]")
_POSTDOC_SCOPE = re.compile(r"在站博士后|博士后在站")
_UNIVERSITY = re.compile(r"毕业于[^，。；]{0,24}?(“双一流”|双一流|中国科学院大学|排名前200|前200名|前200位)")
_SKILL = re.compile(r"(高级技师|技师|高级工|中级工|初级工)(?:职业技能)?等级")
_REVENUE = re.compile(r"(?:软件业务收入|营业收入|销售收入|主营业务收入)(?:不低于|达到|超过)(\d+(?:\.\d+)?)(万元|亿元)")
_QUOTED_SUBJECT = re.compile(r"^第[^条]+条\s*([^，。；：“”]{0,6}“[^”]{2,12}”)(?:应当|应|须|从|是指|一般|年龄)")
_FROM_PARENT = re.compile(rf"从([^，。；]{{2,16}}?)中(?:产生|评定|遴选|选拔)|(?:符合|满足)(第[{_NUM}百零\d]+条)"
                          r"(?:规定|所列)")
_CATALOGUE_ITEM = re.compile(r"^([A-E]类)[：:](.+)$")
_BENEFIT = re.compile(r"(?:可申领|给予|可申请|可享受)(?:一次性)?([^，。；、的]{2,10}?(?:补贴|补助|奖励|贷款))")


@dataclass
class _Context:
    doc: LoadedDocument
    section: str = ""
    article: str = ""
    article_track: str = ""
    lead: str = ""  # "any_of", "exclude", "all", "org" for list items under a lead-in
    lead_group: str = ""
    out: list[Condition] = field(default_factory=list)
    tracks: list[str] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    counted_at: dt.date | None = None
    groups: int = 0
    audience: list[Condition] = field(default_factory=list)  # "求职者：…" lines: who a programme is for
    added: int = 0  # conditions numbered so far (ids stay unique when a rule drops one it added)
    article_names: dict[str, str] = field(default_factory=dict)  # "第五条" → the programme it defines
    inherits: list[tuple[str, str]] = field(default_factory=list)  # (programme, the programme it is drawn from)

    def add(self, **values: object) -> Condition:
        track = values["track"] = str(values.get("track", "")).replace("“", "").replace("”", "").strip()
        same = next((t for t in self.tracks if track and min(len(t), len(track)) >= 6
                     and (t in track or track in t)), None)
        if same:
            track = values["track"] = same
        if track and track not in self.tracks:
            self.tracks.append(track)
        self.added += 1
        condition = Condition(id=f"c{self.added}", doc_id=self.doc.meta.id, **values)  # type: ignore[arg-type]
        self.out.append(condition)
        return condition

    def new_group(self) -> str:
        self.groups += 1
        return f"g{self.groups}"


def _date(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def clauses(text: str) -> list[str]:
    """The clauses of a passage, split at ，；。 but not inside brackets."""
    out, depth, current = [], 0, ""
    for char in text:
        depth += char in "（(“《"
        depth -= char in "）)”》"
        current += char
        if depth <= 0 and char in "，,；;。":
            out.append(current.strip("，,；;。 "))
            current, depth = "", 0
    if current.strip("，,；;。 "):
        out.append(current.strip("，,；;。 "))
    return [c for c in out if c]


def extract_conditions(doc: LoadedDocument, source_hash: str = "") -> ConditionSet:
    """The document's conditions, tracks, materials and where-to-apply passages, read by the rules above."""
    ctx = _Context(doc)
    full = "\n".join(block.text for block in doc.blocks)
    counted = _COUNTED_AT.search(full) if "年龄" in full or "周岁" in full else None
    if counted and "年龄" in full[max(0, counted.start() - 40): counted.end() + 40]:
        ctx.counted_at = _date(*counted.groups())
    _region_gate(ctx)
    _audience_gate(ctx)
    for block in doc.blocks:
        if block.kind == "heading":
            ctx.section = block.text
            ctx.article, ctx.article_track, ctx.lead = "", "", ""
            continue
        text = block.text
        if block.kind == "table_row":
            _table_row(ctx, block)
            continue
        article = _ARTICLE.match(text)
        if article:
            ctx.article = article.group(0)
            ctx.lead = ""
            ctx.article_track = "" if _GENERIC_ARTICLE.search(text[:30]) else ctx.article
            named = _QUOTED_SUBJECT.match(text)
            if named:  # "第五条 优秀“陪跑人”应当…": the article defines that programme
                ctx.article_track = named.group(1).replace("“", "").replace("”", "").strip()
                ctx.article_names[ctx.article] = ctx.article_track
                parent = _FROM_PARENT.search(text[: 60])
                if parent:
                    source = parent.group(1) or ctx.article_names.get(parent.group(2), parent.group(2))
                    ctx.inherits.append((ctx.article_track, source.replace("“", "").replace("”", "").strip()))
            benefit = _BENEFIT.search(text)
            if ctx.article_track.startswith("第") and benefit:  # "第三条（求职交通补贴）": named by what it gives
                ctx.article_track = f"{ctx.article}（{benefit.group(1).removeprefix('一次性')}）"
            if _ORG_ARTICLE.match(text) or _ADMIN.search(text):
                ctx.lead = ""
                continue
            _block(ctx, text, ctx.article_track, in_condition_list=False)
            _set_lead(ctx, text)
            continue
        if block.kind == "list_item":
            body = _ITEM.sub("", text)
            if _MATERIAL_SECTION.search(ctx.section) and not ctx.article:
                ctx.materials.append(text)
                continue
            if _WHERE_SECTION.search(ctx.section) and not ctx.article:
                ctx.where.append(text)
                continue
            if _TIME_SECTION.search(ctx.section) and not ctx.article:
                _window(ctx, text, _track_of(body))
                continue
            if ctx.article and ctx.lead == "org":
                _organisation(ctx, text, ctx.article_track)
                continue
            catalogue = _CATALOGUE_ITEM.match(body)
            if ctx.article and catalogue:
                _catalogue(ctx, catalogue.group(1), catalogue.group(2), text)
                continue
            if ctx.article and ctx.lead:
                _block(ctx, text, ctx.article_track, in_condition_list=True)
                continue
            if _COND_SECTION.search(ctx.section) or (ctx.article and _ALL_LEAD.search(text)):
                if ctx.lead == "org":
                    _organisation(ctx, text, "")
                    continue
                track = _track_of(body)
                _block(ctx, text, track, in_condition_list=True)
                if not ctx.lead:
                    _set_lead(ctx, text)
            continue
        # a paragraph outside articles
        if _WHERE_SECTION.search(ctx.section):
            ctx.where.append(text)
        elif _COND_SECTION.search(ctx.section):
            before = len(ctx.out)
            _block(ctx, text, "", in_condition_list=True)
            first = re.split(r"[。；]", text)[0].strip()
            if len(ctx.out) == before and _AUDIENCE_SECTION.search(ctx.section) and first and not first.endswith("的"):
                ctx.add(kind="other", text=first, passage=text)  # "支持对象": who it is for, shown to check
            _set_lead(ctx, text)
    _inherit(ctx)
    _drop_bare_audiences(ctx)
    if doc.meta.kind != "policy":
        _count_years_to_window_end(ctx)
    return ConditionSet(doc_id=doc.meta.id, title=doc.meta.title, source_hash=source_hash, extractor=EXTRACTOR_VERSION,
                        extracted=dt.datetime.now(dt.UTC).replace(microsecond=0), tracks=ctx.tracks,
                        conditions=ctx.out, materials=ctx.materials, where=ctx.where)


def _track_of(body: str) -> str:
    match = _TRACK_PREFIX.match(body)
    if not match or _GENERIC_TRACK.fullmatch(match.group(1).strip()):
        return ""
    return match.group(1).strip()


def _catalogue(ctx: _Context, tier: str, body: str, passage: str) -> None:
    """"（二）B类：国家级重大人才工程入选者，重庆英才计划优秀科学家、创新创业领军人才": each listed title, award or
    status leads to that tier (any one suffices); a single entry ("35周岁以下全职在渝工作的博士") is all required."""
    entries = [e for e in re.split(r"[，,、；]", body.rstrip("；;。")) if e.strip()]
    prefix = ""
    group = ctx.new_group() if len(entries) > 1 else None
    for entry in entries:
        words = entry.strip()
        lead = re.match(r"^(重庆英才计划|新重庆)", words)
        if lead:
            prefix = lead.group(1)
        elif prefix and not re.search(r"人员|博士|职称|获得者|院士", words):
            words = prefix + words  # "重庆英才计划优秀科学家、创新创业领军人才": the programme carries over
        before = len(ctx.out)
        _typed(ctx, entry.strip(), passage, tier, False, group)
        if len(ctx.out) == before:
            role: ConditionRole = "any_of" if group else "gate"
            ctx.add(kind="award_required", op="required", value=words, role=role, group=group, track=tier,
                    text=entry.strip(), passage=passage)
        elif group and len(ctx.out) - before > 1:  # an entry of several conditions: one of them stands for it
            del ctx.out[before + 1:]


def _organisation(ctx: _Context, text: str, track: str) -> None:
    """A condition of the employer, team or project ("申报单位应当符合下列条件：…"): kept, shown, not the person's."""
    body = _ITEM.sub("", text).strip()
    if body and not (_AMOUNT.search(body) and _GIVE.search(body)):
        ctx.add(kind="other", subject="organisation", track=track if track in ctx.tracks else "", text=body,
                passage=text)


def _drop_bare_audiences(ctx: _Context) -> None:
    """An audience line alone does not make a programme (it would be met by anyone) — except an event's side."""
    if ctx.doc.meta.kind == "notice":
        return
    lines = {id(c) for c in ctx.audience}
    backed = {c.track for c in ctx.out if id(c) not in lines and c.role != "amount" and c.kind != "window"}
    ctx.out = [c for c in ctx.out if id(c) not in lines or c.track in backed]
    ctx.tracks = [t for t in ctx.tracks if any(c.track == t for c in ctx.out)]


def _inherit(ctx: _Context) -> None:
    """A programme drawn from another ("“金牌陪跑人”从优秀“陪跑人”中产生") must meet that one's conditions too."""
    for child, parent in ctx.inherits:
        source = next((t for t in ctx.tracks if t == parent or (min(len(t), len(parent)) >= 3
                                                                and (t in parent or parent in t))), None)
        if source is None or source == child:
            continue
        for c in [c for c in ctx.out if c.track == source and c.role != "amount" and c.kind != "window"]:
            ctx.add(**{**c.model_dump(exclude={"id", "doc_id"}), "track": child})


def _count_years_to_window_end(ctx: _Context) -> None:
    """A call's 满N年 is counted up to the end of its (programme's) window: one met before the window closes is met."""
    windows = [c for c in ctx.out if c.kind == "window"]
    if not windows:
        return
    for c in ctx.out:
        if c.kind not in ("work_years", "chongqing_years", "employer_years") or c.counted_at is not None:
            continue
        own = [w for w in windows if not w.track or not c.track or w.track == c.track] or windows
        ends = [dt.date.fromisoformat(str(w.value).partition("/")[2]) for w in own]
        c.counted_at = max(ends)


def _set_lead(ctx: _Context, text: str) -> None:
    """A lead-in ("符合下列条件之一的") makes the list items after it alternatives, exclusions or all required;
    a lead-in about an organisation ("申请入驻的团队应当符合下列条件") makes them no one's personal conditions."""
    head = re.split(r"应当|应|须|符合|具备", _ARTICLE.sub("", text), maxsplit=1)[0]
    if (_ANY_OF_LEAD.search(text) or _ALL_LEAD.search(text)) and _ORG_SUBJECT.search(head):
        ctx.lead, ctx.lead_group = "org", ""
    elif _EXCLUDE_LEAD.search(text):
        ctx.lead, ctx.lead_group = "exclude", ""
    elif _ANY_OF_LEAD.search(text):
        ctx.lead, ctx.lead_group = "any_of", ctx.new_group()
    elif text.rstrip().endswith(("：", ":")) and _ALL_LEAD.search(text):
        ctx.lead, ctx.lead_group = "all", ""


def _region_gate(ctx: _Context) -> None:
    region = ctx.doc.meta.region
    if not region or region in ("重庆市", "全市", "重庆"):
        return
    named = [b.text for b in ctx.doc.blocks if region in b.text or region.removesuffix("区") in b.text]
    prose = [b.text for b in ctx.doc.blocks if b.kind != "heading" and b.text in named]
    passage = (prose or named or [""])[0]
    if passage:
        ctx.add(kind="district", op="in", value=[region], text=region, passage=passage)


def _audience_gate(ctx: _Context) -> None:
    """A document for foreign talents (外籍 in its title) is closed to others."""
    if "外籍" not in ctx.doc.meta.title:
        return
    passage = next((b.text for b in ctx.doc.blocks if b.kind != "heading" and "外籍" in b.text), "")
    if passage:
        ctx.add(kind="nationality", op="in", value=["外籍"], text="外籍", passage=passage)


def _window(ctx: _Context, text: str, track: str) -> None:
    match = _SPAN.search(text)
    if not match:
        return
    y1, m1, d1, y2, m2, d2 = match.groups()
    start, end = _date(y1, m1, d1), _date(y2 or y1, m2, d2)
    if start and end:
        ctx.add(kind="window", op="between", value=f"{start.isoformat()}/{end.isoformat()}", track=track,
                text=match.group(0), passage=text)


def _table_row(ctx: _Context, block: Block) -> None:
    if not block.header:
        return
    cells = [c.strip() for c in block.text.split("|")]
    amounts = [c for c in cells if _AMOUNT.search(c)]
    if cells and amounts:
        ctx.add(kind="other", role="amount", track=cells[0], amount="；".join(amounts), text=block.text,
                passage=block.text)


def _block(ctx: _Context, text: str, track: str, in_condition_list: bool) -> None:
    """Type every clause of one passage; under a lead-in, list items become alternatives or exclusions."""
    lead = ctx.lead if in_condition_list else ""
    exclude = lead == "exclude"
    group = ctx.lead_group if lead == "any_of" else None
    typed_any = False
    pending: list[tuple[str, list[str]]] = []  # untyped condition clauses of an article, kept if it has typed ones
    previous: list[Condition] = []
    tracks = [track]
    parts = [_ITEM.sub("", _ARTICLE.sub("", clause)).strip() for clause in clauses(text)]
    skip = False
    for index, clause_body in enumerate(parts):
        if not clause_body or skip:
            skip = False
            continue
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if clause_body.endswith("的") and _WIDENS.match(following):
            skip = True  # another path to the same benefit, not a condition of this one
            continue
        if clause_body.endswith("的") and _BONUS.match(following) and _AMOUNT.search(following):
            for t in tracks:
                ctx.add(kind="other", role="amount", track=t, amount=following, text=clause_body, passage=text)
            continue
        subject = _SUBJECT.match(_TRACK_PREFIX.sub("", clause_body))
        if subject and (not track or track.startswith("第")):
            named = re.sub(r"^(?:其中|对|凡|并且?|且)|(?:申报人|申请人)$", "",
                           subject.group(1) or subject.group(2)).strip("，、 ")
            if named and not _GENERIC_SUBJECT.fullmatch(named) and len(named) >= 2:
                tracks = [t.strip() for t in named.split("、") if t.strip()]
        amount = _AMOUNT.search(clause_body) and _GIVE.search(clause_body)
        if not in_condition_list and not amount and (not _COND_CLAUSE.search(clause_body)
                                                     or _NOT_COND.search(clause_body)):
            continue
        if re.search(r"^(?:须|应|并|申报人须)?(?:签订)?承诺|承诺书|未履行|留渝工作不少于|服务期"
                     r"|服务不少于", clause_body):
            continue  # a commitment made on applying, not a condition one must already meet
        if _ANY_OF_LEAD.search(clause_body) or (_ALL_LEAD.search(clause_body) and len(clause_body) < 16):
            continue
        relaxed = _FEMALE.search(clause_body)
        if relaxed and ctx.out and ctx.out[-1].kind == "age" and ctx.out[-1].passage == text:
            born = _BORN_AFTER.search(clause_body)
            for condition in ctx.out:
                if condition.kind == "age" and condition.text == ctx.out[-1].text:
                    condition.female_value = int(relaxed.group(1))
                    condition.female_born_after = _date(*born.groups()) if born else None
            continue
        before = len(ctx.out)
        found = sum(_typed(ctx, clause_body, text, t, exclude, group) for t in tracks)
        if found and group is None and re.match(r"^(?:以及|或者|或|及)", clause_body) and previous:
            joined = ctx.new_group()
            for condition in [*previous, *ctx.out[before:]]:
                condition.role, condition.group = "any_of", condition.group or joined
        alternative_to = previous if group is None and re.match(r"^(?:或者|或)", clause_body) else []
        previous = ctx.out[before:] if found else []
        typed_any = typed_any or bool(found)
        if amount and found:
            for condition in ctx.out[-found:]:
                condition.role, condition.amount, condition.group = "amount", clause_body, None
        elif amount and ctx.article and not in_condition_list:
            continue
        elif not found and not in_condition_list and not _AMOUNT.search(clause_body) \
                and not _ORG_CLAUSE.search(clause_body):
            pending.append((clause_body, list(tracks)))
        elif not found and in_condition_list and (_FREE_CUE.search(clause_body) or _LIMIT.search(clause_body)) \
                and not (_AMOUNT.search(clause_body) and _GIVE.search(clause_body)) \
                and not (lead == "" and _ALL_LEAD.search(clause_body) and clause_body.endswith(("：", ":"))):
            either = ctx.new_group() if alternative_to else group  # "…不低于2000万元，或为重点软件企业"
            for condition in alternative_to:
                condition.role, condition.group = "any_of", either
            for t in tracks:
                ctx.add(kind="other", role="any_of" if either else "gate", group=either, track=t,
                        text=clause_body, passage=text)
    benefit = bool(track) and bool(_BENEFIT.search(text))
    for clause_body, clause_tracks in pending:
        if typed_any or (benefit and clause_body.endswith("的")):  # the case a benefit article gives it for
            for t in clause_tracks:
                ctx.add(kind="other", role="gate", track=t, text=clause_body, passage=text)
    if lead == "any_of" and not typed_any and not any(c.passage == text for c in ctx.out):
        ctx.add(kind="other", role="any_of", group=group, track=track, text=_ITEM.sub("", text), passage=text)
    elif in_condition_list and track and _ORG_SUBJECT.search(track) and parts and parts[0].startswith(track) \
            and not any(c.passage == text for c in ctx.out):
        ctx.add(kind="other", subject="organisation", track="", text=parts[0], passage=text)  # "派出单位：在渝高校…"
    elif in_condition_list and track and not lead and not any(c.passage == text for c in ctx.out) \
            and parts and parts[0].startswith(track):
        # "求职者：高校毕业生、在职跳槽人员…": who a programme (or an event's side) is open to, shown to check
        ctx.audience.append(_audience(ctx, parts[0], track, text))
    elif ctx.doc.meta.kind == "notice" and in_condition_list and not lead and parts and not track \
            and "对象" in ctx.section \
            and not any(c.passage == text and (c.kind != "other" or c.text == parts[0]) for c in ctx.out) \
            and not _ORG_CLAUSE.search(parts[0]):
        ctx.audience.append(_audience(ctx, parts[0], track, text))  # "…分管人才工作的负责人和人事部门工作人员"


def _audience(ctx: _Context, line: str, track: str, passage: str) -> Condition:
    """An event's audience line is shown to check ("求职者：…有意来渝工作的市外人才"); one for organisations' staff
    ("分管人才工作的负责人和人事部门工作人员") is a question (one of the groups it lists), not presumed."""
    narrow = _STAFF_AUDIENCE.search(line) or (track and line.startswith(track))  # one side of an event
    if ctx.doc.meta.kind != "notice" or not narrow or _OPEN_AUDIENCE.search(line):
        return ctx.add(kind="other", role="gate", track=track, text=line, passage=passage)
    return ctx.add(kind="other", role="any_of", group=ctx.new_group(), track=track, text=line, passage=passage)


def found_typed(clause: str) -> bool:
    """True when a clause holds something the rules type (an age, a degree, a title, years …)."""
    return bool(_AGE.search(clause) or _EDU.search(clause) or _TITLE.search(clause) or _WORK.search(clause))


def _typed(ctx: _Context, clause: str, passage: str, track: str, exclude: bool, group: str | None) -> int:
    """Add the typed conditions of one clause; returns how many were added."""
    before = len(ctx.out)
    shown = clause
    clause = re.sub(r"（含[^）]*）|\(含[^)]*\)", "", clause)  # "（含毕业2年内的…）" widens, it does not limit
    person = not _PERSON_NOISE.search(clause)
    role: ConditionRole = "any_of" if group else "gate"
    alternatives = "或" in clause and group is None
    clause_group = ctx.new_group() if alternatives else group

    def add(kind: str, op: str, value: object, **extra: object) -> None:
        r: ConditionRole = "any_of" if clause_group else role
        ctx.add(kind=kind, op=op, value=value, role=r, group=clause_group, track=track, text=shown,
                passage=passage, **extra)

    excluded_block = re.search(r"不得(?:重复)?申报|不再(?:受理|申报)|不在申报范围", passage)
    programme = _EXCLUDED_PROGRAMME.search(clause)
    if excluded_block and programme and not _EXCLUDED.search(clause):
        add("award_excluded", "excluded", re.sub(r"^\d{4}年度?以来", "", programme.group(1)).strip())
        return len(ctx.out) - before
    scope = _NOT_IN_SCOPE.search(clause)
    if (exclude or scope) and _POSTDOC_SCOPE.search(clause) and not re.search(r"出站", clause):
        add("postdoc", "not_in", ["在站"])  # "博士后在站人员不在本项目申报范围内"
        return len(ctx.out) - before
    if exclude:
        add("award_excluded", "excluded", clause)
        return len(ctx.out) - before
    if scope and re.search(r"机关|单位|公务员", scope.group(0)):
        add("employer_type", "not_in", [w for w in re.split(r"[、和及]", scope.group(1) or scope.group(2))
                                        if w][:4])
        return len(ctx.out) - before
    tier = _TIER.search(clause)
    if tier:
        add("tier", "in", [next(g for g in tier.groups() if g)])
    record = _RECORD.match(clause)
    if record and not _AMOUNT.search(clause) or (record and "万元以上" in clause):
        add("award_required", "required", clause)
        return len(ctx.out) - before
    if person:
        born = _BORN_AFTER.search(clause)
        age = _AGE.search(clause)
        if age and not re.search(r"放宽|女性", clause[: age.start()]) and _age_is_limit(clause, age):
            add("age", "max", int(age.group(1)), counted_at=ctx.counted_at,
                born_after=_date(*born.groups()) if born else None)
        elif born:
            add("age", "max", None, born_after=_date(*born.groups()))
        degree_after = _DEGREE_AFTER.search(clause)
        if degree_after:
            when = _date(*degree_after.groups()[:3])
            add("degree_years", "min", when.isoformat() if when else None)
        degree_years = _DEGREE_YEARS.search(clause)
        if degree_years:
            add("degree_years", "max", int(degree_years.group(1) or degree_years.group(2)))
        edu = _EDU.search(clause)
        if edu and _EDU_CUE.search(clause) and not re.match(
                r"博士后(?:科研|工作站|流动站|创新实践|设站|管理|专区|岗位|研究人员)", clause[edu.start():]) \
                and "招收" not in clause[max(0, edu.start() - 3):edu.start()]:
            level = _edu_level(edu.group(1))
            level = _lowest_listed(clause, level)
            if level and not degree_after and not (degree_years and level == "博士" and "学历" not in clause):
                add("education", "min", level)
        title = _TITLE.search(clause)
        if title and re.search(r"具有|具备|以上|人员|人才|的$|或|职称的", clause):
            level = title.group(1) or title.group(2)
            add("title", "min", _TITLE_LEVEL.get(level, level))
        work = _WORK.search(clause)
        if work and not re.search(r"企业导师|发放|留渝工作不少于", clause):
            add("work_years", "min", int(work.group(1) or work.group(2)))
        cq = _CQ_YEARS.search(clause)
        if cq:
            add("chongqing_years", "min", int(cq.group(1)))
        cq_months = _CQ_MONTHS.search(clause)
        if cq_months:
            add("chongqing_years", "min", round(int(cq_months.group(1)) / 12, 2))
        employer = _EMPLOYER.search(clause)
        if employer and not cq:
            if _POSITION.search(employer.group(0)):
                add("other", "required", clause)  # a named post held for N years: staff can type it
            else:
                add("employer_years", "min", int(employer.group(1)))
        contract = _CONTRACT.search(clause)
        if contract and re.search(r"劳动|聘用|单位|机构|企业", clause):
            add("contract_years", "min", int(contract.group(1)))
        out_years = _POSTDOC_OUT_YEARS.search(clause)
        if out_years:
            add("postdoc", "in", ["出站"])
        postdoc = _POSTDOC.search(clause)
        if postdoc and not out_years:
            word = postdoc.group(1)
            stage = ["出站"] if "出站" in word else ["拟进站", "在站"] if "拟进站" in word else ["在站"]
            if "在站" in clause and re.search(r"出站留渝|出站后留|已出站|出站的", clause):
                stage = ["在站", "出站"]
            add("postdoc", "in", stage)
        if _FOREIGN.search(clause) and re.search(r"认定为外籍|外籍(?:高层次)?人才(?:应|须)|申请人(?:须"
                                                 r"|应)为外籍|外籍人员|^(?:外籍|外国)[^：:]{0,8}[：:]", clause):
            add("nationality", "in", ["外籍"])
        if _RESIDENCE.search(clause) and not re.search(r"留渝工作不少于|承诺|市外", clause):
            add("residence", "in", ["在渝"])
        first_after = _FIRST_JOB_AFTER.search(clause)
        first_years = _FIRST_JOB_YEARS.search(clause)
        if first_after:
            when = _date(*first_after.groups())
            add("first_job", "min", when.isoformat() if when else None)
        elif first_years:
            add("first_job", "max", int(first_years.group(1)))
        entry_after, entry_before = _ENTRY_AFTER.search(clause), _ENTRY_BEFORE.search(clause)
        if entry_after or entry_before:
            start = _date(*entry_after.groups()) if entry_after else None
            end = _date(*entry_before.groups()) if entry_before else None
            add("postdoc_entry", "between", f"{start.isoformat() if start else ''}/{end.isoformat() if end else ''}")
        share = _SHARE.search(clause)
        if share:
            add("share", "min", float(share.group(1)))
        university = _UNIVERSITY.search(clause)
        if university:
            named = [w for w in ("双一流", "中国科学院大学") if w in clause]
            add("university", "in", named if "双一流" in university.group(1) or "中国科学院大学" in university.group(1)
                else ["世界排名前200"])
        skill = _SKILL.search(clause)
        if skill and re.search(r"具有|具备|取得|获得", clause) and "且" not in clause[skill.end():]:
            add("skill", "min", skill.group(1))  # "技师等级且在…竞赛中获前三名" stays text: both are needed
        revenue = _REVENUE.search(clause)
        if revenue and re.search(r"所在企业|所在单位|企业上年度|本企业", clause):
            amount = float(revenue.group(1)) * (10000 if revenue.group(2) == "亿元" else 1)
            add("revenue", "min", amount)
        excluded = _EXCLUDED.search(clause)
        if excluded:
            add("award_excluded", "excluded", (excluded.group(1) or excluded.group(2) or clause).strip())
        required = _REQUIRED.search(clause)
        if required:
            add("award_required", "required", required.group(1))
        kind = _EMPLOYER_TYPE.search(clause)
        if kind and _AMOUNT.search(clause) and _GIVE.search(clause) and not re.search(r"收入|营业|产值", clause):
            add("employer_type", "in", [kind.group(1)])
    added = ctx.out[before:]
    if any(c.kind == "postdoc" for c in added):  # "出站留渝的博士后": the stage is the condition, not a degree
        ctx.out[before:] = [c for c in added if not (c.kind == "education" and c.value == "博士后")]
    if not alternatives and group is None and len(ctx.out) - before >= 2 \
            and re.search(r"博士(?:研究生)?(?:和|及|以及|、)(?:在站)?博士后", clause):
        joined = ctx.new_group()
        for condition in ctx.out[before:]:
            if condition.kind in ("education", "postdoc"):
                condition.role, condition.group = "any_of", joined
    if alternatives and len(ctx.out) - before == 1:  # "或" joined something untyped: one condition, a gate
        ctx.out[-1].role, ctx.out[-1].group = role, group
    return len(ctx.out) - before


def _lowest_listed(clause: str, level: str | None) -> str | None:
    """"35周岁以下的高校毕业生、博士和博士后": the condition common to a list of groups admits the lowest of them."""
    if level is None:
        return level
    found = sorted([(m.start(), m.end(), _edu_level(m.group(1))) for m in _EDU.finditer(clause)]
                   + [(m.start(), m.end(), "大专") for m in _GROUP_EDU.finditer(clause)])
    listed: list[str] = []
    for (_, end, first), (start, _, second) in zip(found, found[1:], strict=False):
        if _LIST_JOIN.fullmatch(clause[end:start]) and first and second:  # "A、B和C": groups side by side
            listed += [first, second]
    rank = {"大专": 1, "本科": 2, "硕士": 3, "博士": 4, "博士后": 5}
    return min([level, *listed], key=lambda lv: rank.get(lv, 9)) if listed else level


def _age_is_limit(clause: str, match: re.Match[str]) -> bool:
    """"不超过35周岁" / "35周岁以下的…" limit the applicant; "未满18周岁子女" does not."""
    after = clause[match.end(): match.end() + 4]
    return not re.match(r"(?:的)?(?:子女|青年专家|以上)", after)


def _edu_level(word: str) -> str | None:
    if word.startswith("博士后"):
        return "博士后"
    if word.startswith("博士"):
        return "博士"
    if word.startswith(("硕士", "研究生")):
        return "硕士"
    if word.startswith(("本科", "学士")):
        return "本科"
    if word.startswith(("大专", "专科")):
        return "大专"
    return None


def known_districts() -> list[str]:
    """Chongqing's districts (for the region gate and the person's district)."""
    return district_names()
