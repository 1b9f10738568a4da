"""Rule-and-lexicon tagger for the ResumeNER labels (NAME CONT RACE TITLE EDU ORG PRO LOC) with character offsets."""

from __future__ import annotations

import re
from functools import cache

from assistant.resume.lexicon import (
    COMPOUND_SURNAMES,
    COUNTRIES,
    DEPARTMENT_STEMS,
    ENTITY_TITLE_HEADS,
    ETHNIC_GROUPS,
    PROVINCES,
    SPECIAL_ORGS,
    SPECIAL_TITLES,
    STRONG_ORG_SUFFIXES,
    SURNAMES,
    TITLE_MODIFIERS,
)
from assistant.resume.models import Entity

_WEAK_ORG_SUFFIXES = ("投资", "证券", "控股", "信托", "保险")
_NOT_AFTER_ORG = ("中心", "事业部", "事务")
# Board committees belong to the title after them (公司审计委员会主任: ORG 公司, TITLE 审计委员会主任).
_COMMITTEES = tuple(word for word in TITLE_MODIFIERS if word.endswith("委员会"))
_DEPT_CHARS = ("部", "科", "处", "室")
_SUFFIX_HEADS = ("厂长", "局长", "院长", "所长", "行长", "校长", "处长", "部长", "站长", "社长", "厅长", "矿长")
_BARE_DEPT = re.compile(r"[\u4e00-\u9fa5]{0,4}(?:部|室|办公室|科|处)(?:任职|工作)?")
_DEPT = re.compile(r"[\u4e00-\u9fa5]{1,8}?(事业部|办公室|委员会|中心|车间|分部|部|室|办|科|处|组)$")

_PUNCT = "，,、。；;：:《》“”\"' \t！!？?·/|"
# One date: 1996年10月1日, 1996年10 (before a dash), 2009.8, 2009/08/01.
_ONE_DATE = (
    r"(?:19|20)\d{2}(?:[./\\]\d{1,2}(?:[./\\]\d{1,2})?|年度|年?(?:\d{1,2}月|\d{1,2}(?=[-—–~～至到]))?(?:\d{1,2}日)?)"
)
_DATE_PREFIX = re.compile(
    rf"(?:(?:自|从|于|在)?{_ONE_DATE}(?:[-—–~～至到]{{1,2}}(?:{_ONE_DATE}|\d{{1,2}}月|今))?"
    r"|[一二三四五六七八九零〇○]{4}年(?:[一二三四五六七八九十]{1,2}月)?(?:[一二三四五六七八九十]{1,3}日)?"
    r"|(?:19|20)?\d{2}年代|近(?:\d+|[一二三四五六七八九十]+)年(?:来|内)?|[-—–~～至到](?:19|20)\d{2}年?(?:\d{1,2}月)?|(?<=[年月日])(?:出生于|出生|生于|生)|至今|原(?!料|材料|子|始|因)|现(?!任|为|在|代|金|场|货|有)|等|此前|其后|之后|此后|期间|主要|自(?!贡|动|治|然|主)|从(?!化))+"
    r"(?:起|至今|以来|之后|后|前|期间|开始)?"
)
_TRIGGER = re.compile(
    r"(?:连续(?:\d+|[一二三四五六七八九十两]+)年|其中|长期|受聘|自|从|并|且|同时|还|也|亦|均|又|再|一直|目前|现在|现|曾经|曾|先后|分别|开始|后|起|历|已|正式|最近(?:\d+|[一二三四五六七八九十]+)年(?:内|来)?)*"
    r"(?:获委任为|获委任|委任为|申请辞去|辞去|不再担任|入职|派驻|分配到|分配|调到|创立|创办|创建|组建|留|"
    r"当选为|当选|升为|取得|就读于|就读|赴|加盟|离任|(?:受)?派任|首次担任|被(?:聘为|聘任为|任命为|选为|推选为)?|就职|"
    r"(?:担任|任职)过|拥有|具有|具备|考取|考入|包括|代行|(?:后)?改为|更名为|现为|"
    r"(?:续|获|改|接|转|升|调|聘|连|再|新)任(?:为)?|就任|(?:任|就|供|入)?职于|工作于|服务于|"
    r"(?:本科|硕士|博士|研究生|大学|大专)?毕业于|受聘于|任职|担任|出任|兼任|历任|现任|曾任|聘任为|"
    r"加入|进入|调入|调任|升任|转任|以及|任|在|于|为|是|至(?!今)|兼(?!职))"
)
_VERB_AFTER_ORG = re.compile(
    r"(?:任教|从事|工作|就职|任职|供职|毕业|结业|服役|参加工作|学习|进修|研修|执业|实习|就读|攻读|访问|讲学|挂职|筹建|"
    r"评为|授予|(?:担)?任(?!务|何))"
)
# A unit then 任: the title is what follows (人事科任劳资员); 主任 and 责任 are not this 任.
_TITLE_AFTER_UNIT = re.compile(
    r"(?<=[科处组部室心队所站厂身])(?:先后|分别)?(?:担任|出任|兼任|任)(?=[\u4e00-\u9fa5A-Z])")
_UNIT_VERB_END = re.compile(r"(?<=[科处组部室心队所站厂])(?:先后|分别)?(?:担任|出任|兼任|任|做|作)$")
# 南方大学等|客座教授, 等企业的|法务顾问, 上海）|独立董事, 我们的|非执行董事.
_TITLE_AFTER_LIST = re.compile(
    r"(?<![高平中初同])等(?:[\u4e00-\u9fa5]{1,4}的)?(?:做|作)?|^[^（(]*[）)]|^(?:我们|我们公司)的|^做")
_LISTED = re.compile(r"[^，,。；;]{0,14}?上市(?:的|之|公司)(?=[\u4e00-\u9fa5]{4,})")
# Descriptions ending like an organisation: 香港上市公司, 享受国务院政府(特殊津贴专家).
_NOT_AN_ORG = re.compile(r"^(?:[^，,。；;]{0,10}上市公司|享受[\u4e00-\u9fa5]*)$")
_ORG_LEAD = re.compile(
    r"(?:不再担任|担任|连任|兼职|就读|毕业于|分配|转业到|进入|加入|成为|参加了由|参加|更名为?|改名为?|离任|不在|"
    r"(?<![责主信继兼现曾历就])任|(?<![存现所实])在|(?<![达])到|(?<![关属])于)")
_INNER_TRIGGER = re.compile(r"(?:并|的|之)?(?:担任|出任|兼任|任职|任|从事|工作|历任)|的|之")
_EDU = re.compile(
    r"(?:在职|在读|MBA|EMBA)?"
    r"(?:大学本科|大学专科|硕士研究生|博士研究生|在职研究生|研究生|大学|本科|大专|专科|中专|高中|初中|硕士|博士|学士|EMBA|MBA)"
    r"(?:研究生)?(?:学历|学位|文化程度|文化|在读|进修班)?(?!生导师|后|生院)"
)
# A major right before a degree: 会计学, 热能工程专业, and the majors named without 学 (工商管理硕士, 法律硕士).
_PRO = re.compile(
    r"([\u4e00-\u9fa5]{1,10}?(?:学|专业|管理|工程|会计|法律|金融|经济|经济法|贸易|营销|技术|应用)(?:（[\u4e00-\u9fa5]{2,8}）)?)$")
_DEGREE_VERB = re.compile(r"(?:并|且|同时|后)?(?:获得?|取得|获取|授予|颁授|拥有|具有|是)+")
_NAME_HONORIFIC = re.compile(r"([\u4e00-\u9fa5]{1,3}?)(?:先生|女士)")
_JUNK_TAIL = re.compile(
    r"(?:等职务|等职|职务|一职|职位|职称|(?:执业|从业)?资格|资质|牌照|职责|职权|工作|任职|至今|以来|等)$")
_TERM_COMMA = re.compile(r"(?<=[一二三四五六七八九十\d届])、(?=第?[一二三四五六七八九十\d]{1,3}届)")
_ADVERB_BEFORE_DATE = re.compile(
    r"(?:和|及|并|且|同时|其中|还|也|自|从|于|在)+(?=(?:19|20)\d{2}|[一二三四五六七八九零〇○]{4})")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(nationality, ethnic group, title ending) patterns built from the lexicon."""
    countries = "|".join(sorted(map(re.escape, COUNTRIES), key=len, reverse=True))
    cont = re.compile(rf"(?:{countries})(?:国籍|籍|公民)")
    groups = "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True))
    race = re.compile("(?:" + groups + ")族(?![\u4e00-\u9fa5]*(?:自治|乡|村))")
    title_end = re.compile(rf"(?:{_heads()}|[\u4e00-\u9fa5]{{2}}[师员])$")
    return cont, race, title_end


def _heads() -> str:
    """The title heads, longest first, as one alternation."""
    words = sorted({*ENTITY_TITLE_HEADS, "党员", "副总", "总裁助理"}, key=lambda word: (-len(word), word))
    return "|".join(map(re.escape, words))


@cache
def _name_bracket() -> re.Pattern[str]:
    """Brackets that belong to an organisation's name: a province or city, or 集团/控股."""
    places = "|".join(PROVINCES)
    return re.compile(rf"[（(](?:集团|控股|{places}|[\u4e00-\u9fa5]{{2,4}}市)[）)]")


@cache
def _known_head() -> re.Pattern[str]:
    """A title head from the lexicon only (党委委员 ends in 委员, not in the generic 委委员)."""
    return re.compile(rf"(?:{_heads()})$")


def tag_entities(text: str) -> list[Entity]:
    """Entities in one line of résumé text, sorted by start offset, never overlapping."""
    found: list[tuple[int, int, str]] = []
    start = 0
    breaks = _remark_brackets(text)
    # 第六、七届董事会董事 is one title: the 、 between term numbers does not end it.
    joins = {m.start() for m in _TERM_COMMA.finditer(text)}
    for index in range(len(text) + 1):
        if index == len(text) or (text[index] in _PUNCT and index not in joins) or index in breaks:
            if index > start:
                found.extend(_segment(text, start, index, first=start == 0 or not text[:start].strip(_PUNCT)))
            start = index + 1
    return [Entity(type=kind, start=a, end=b, text=text[a:b]) for a, b, kind in sorted(found)]  # type: ignore[arg-type]


def _remark_brackets(text: str) -> set[int]:
    """Brackets after a complete organisation or title hold a remark (原…, 主持工作): cut there; keep 华润（集团）."""
    _, _, title_end = _patterns()
    cuts: set[int] = set()
    for match in re.finditer(r"[（(][^（()）]*[）)]", text):
        before = text[:match.start()]
        if _name_bracket().match(match.group(0)):
            continue  # 西山大学（北京）, 东方保险(集团)股份有限公司: part of the name
        if (before.endswith(STRONG_ORG_SUFFIXES) and not before.endswith(("集团", "控股")) or title_end.search(before)
                or before.endswith(("硕士", "博士", "学士", "学位", "MBA", "EMBA"))):  # 工商管理硕士（EMBA）
            cuts.update({match.start(), match.end() - 1})
    return cuts


def _segment(text: str, start: int, end: int, *, first: bool) -> list[tuple[int, int, str]]:
    seg = text[start:end]
    cont, race, title_end = _patterns()
    if match := cont.fullmatch(seg) or cont.match(seg):
        return [(start + match.start(), start + match.end(), "CONT")]
    if match := race.fullmatch(seg):
        return [(start, end, "RACE")]
    if seg in {"汉", "回", "满", "藏", "壮", "苗", "彝"} and not first:
        return [(start, end, "RACE")]
    out: list[tuple[int, int, str]] = []
    pos = 0
    if name := _name(seg, first):
        out.append((start + name[0], start + name[1], "NAME"))
        pos = name[2]
        if pos >= len(seg):
            return out
    if seg in SPECIAL_TITLES:
        return [(start, end, "TITLE")]
    if (edu := _education(seg, pos)) is not None:
        return out + [(start + a, start + b, kind) for a, b, kind in edu]
    provinces = "|".join(PROVINCES)
    if re.fullmatch(r"(?:籍贯)?(?:" + provinces + r")[\u4e00-\u9fa5]{1,8}人", seg[pos:]) and len(seg) - pos <= 12:
        return [*out, (start + pos + (2 if seg[pos:].startswith("籍贯") else 0), end, "LOC")]
    return out + [(start + a, start + b, kind) for a, b, kind in _org_title(seg, pos, title_end)]


def _education(seg: str, pos: int) -> list[tuple[int, int, str]] | None:
    """A clause ending in a degree: [school][major]degree, e.g. 清华大学经济学硕士学位; None when it is not one."""
    start = date.end() if (date := _DATE_PREFIX.match(seg, pos)) else pos
    if (degree := _EDU.match(seg, start)) and degree.group(0) != "大学" and seg.startswith("毕业于", degree.end()):
        # 本科毕业于东海大学: the degree, then the school
        return [(start, degree.end(), "EDU"), *_org_title(seg, degree.end(), _patterns()[2])]
    match = None
    for candidate in _EDU.finditer(seg, pos):
        if candidate.end() == len(seg) or seg[candidate.end():] in {"毕业", "在读", "学位"}:
            match = candidate
    if match is None:
        return None
    if match.group(0) == "大学" and match.start() > pos or match.start() - pos > 24:
        return None  # 大学 after other words is the end of a school name, not a degree
    found = [(match.start(), match.end(), "EDU")]
    head_start = _strip_prefix(seg, pos)
    if lead := _DEGREE_VERB.match(seg, head_start):
        head_start = lead.end()
    head = seg[head_start:match.start()]
    org_end = _org_end(head, any_rest=True) if head else 0
    if org_end and not head.startswith(("本公司", "该公司", "本行", "公司")):  # 公司董事, not a school
        found.append((head_start, head_start + org_end, "ORG"))
        major_start = head_start + org_end + (1 if head.startswith("的", org_end) else 0)
        if verb := _DEGREE_VERB.match(seg, major_start):
            major_start = verb.end()  # 北方理工大学获工学学士
        if 2 <= match.start() - major_start <= 12:
            found.append((major_start, match.start(), "PRO"))
    elif (pro := _PRO.search(head)) and not re.search(r"大学|学院", pro.group(1)) and len(pro.group(1)) >= 2:
        found.append((match.start() - len(pro.group(1)), match.start(), "PRO"))
    return found


def _name(seg: str, first: bool) -> tuple[int, int, int] | None:
    if match := _NAME_HONORIFIC.search(seg):
        candidate = match.group(1)
        begin = match.start(1)
        # The name is the surname (+ given name) right before 先生/女士.
        for size in (3, 2, 1):
            piece = seg[match.end(1) - size : match.end(1)]
            if len(piece) == size and (piece[0] in SURNAMES or piece.startswith(COMPOUND_SURNAMES)) and (
                match.end(1) - size == 0 or size == 1 or not first
            ):
                return match.end(1) - size, match.end(1), match.end()
        if candidate and candidate[0] in SURNAMES:
            return begin, match.end(1), match.end()
    if first and 4 <= len(seg) <= 5 and seg[-1] in "男女":
        seg = seg[:-1]
    if (
        first and 2 <= len(seg) <= 4 and (seg[0] in SURNAMES or seg.startswith(COMPOUND_SURNAMES))
        and not re.search(r"[年月日]|出生|学历|国籍|党员|公司|先生|女士", seg) and not _EDU.fullmatch(seg)
        and not _patterns()[2].search(seg)
    ):
        return 0, len(seg), len(seg)
    return None


def _strip_prefix(seg: str, pos: int) -> int:
    while True:
        new = pos
        if match := _ADVERB_BEFORE_DATE.match(seg, new):
            new = match.end()
        if match := _DATE_PREFIX.match(seg, new):
            new = match.end()
        if match := _TRIGGER.match(seg, new):
            new = match.end()
        if new == pos:
            return pos
        pos = new


def _org_title(seg: str, pos: int, title_end: re.Pattern[str]) -> list[tuple[int, int, str]]:
    lead = pos
    pos = _strip_prefix(seg, pos)
    if seg.startswith("的", pos):
        pos += 1
    if listed := _LISTED.match(seg, pos):
        pos = listed.end()  # 于某交易所上市的|南岭化工股份有限公司: the market is not the employer
    joined = re.search(r"(?:加入|就职于|任职于|供职于|服务于|工作于|进入|入职|派驻|毕业于|就读于)$", seg[lead:pos])
    end = len(seg)
    if junk := _JUNK_TAIL.search(seg, pos):
        end = junk.start()
    body = seg[pos:end]
    if len(body) < 2:
        return []
    if re.search(r"(?:人大代表|政协委员|人大常委|党代会代表)$", body):
        return [(pos, end, "TITLE")]  # 嘉兴市人大代表 is one title, not an organisation plus 代表
    if major := re.search(r"专业(?:毕业)?$", body):
        org_end = _org_end(body[: major.start()], any_rest=True)
        if org_end and major.start() - org_end >= 2:
            return [(pos, pos + org_end, "ORG"), (pos + org_end, pos + major.start() + 2, "PRO")]
    out: list[tuple[int, int, str]] = []
    # Organisations or titles joined by 兼/及/和/与: each part is an [ORG][TITLE] of its own.
    for a, b in _parts(body, title_end):
        a = _strip_prefix(body, a)
        piece = body[a:b]
        if len(piece) < 2:
            continue
        org_end = _org_end(piece)
        if org_end:
            if not _NOT_AN_ORG.search(piece[:org_end]):
                out.append((pos + a, pos + a + org_end, "ORG"))
            rest = org_end
            if inner := _INNER_TRIGGER.match(piece, rest):
                rest = inner.end()
            a, piece = a + rest, piece[rest:]
            if not piece:
                continue
        if not title_end.search(piece):
            if verb := _VERB_AFTER_ORG.search(piece, 2):
                piece = piece[: verb.start()]  # 在城东货运站任…: the organisation ends at the verb
            if joined and not org_end and 2 <= len(piece) <= 15 and not out:
                out.append((pos + a, pos + a + len(piece), "ORG"))
            continue
        title_start = 0 if org_end else _title_start(piece)
        if title_start:
            out.append((pos + a, pos + a + title_start, "ORG"))
        title_start += _title_lead(piece[title_start:], title_end)
        out.append((pos + a + title_start, pos + a + len(piece), "TITLE"))
    return [(a + _org_lead(seg[a:b]) if kind == "ORG" else a, b, kind) for a, b, kind in out]


def _org_lead(org: str) -> int:
    """Words left before an organisation's name: 换届后再次连任|本公司, 同年4月进入|北辰精密株式会社."""
    lead = 0
    for match in _ORG_LEAD.finditer(org):
        if match.start() > 0 and len(org) - match.end() >= 4:
            lead = match.end()
    return lead


def _title_lead(title: str, title_end: re.Pattern[str]) -> int:
    """Words before the title proper: 保卫科先后任|干事, 南方大学等|客座教授, 上海）|独立董事."""
    lead = 0
    for pattern in (_TITLE_AFTER_UNIT, _TITLE_AFTER_LIST):
        for match in pattern.finditer(title):
            if match.end() > lead and title_end.search(title[match.end():]) and len(title) - match.end() >= 2:
                lead = match.end()
    return lead


def _parts(body: str, title_end: re.Pattern[str]) -> list[tuple[int, int]]:
    """Split at 兼/及/和/与/以及 only where the text before it closes an organisation or a title (not 协和)."""
    cuts = [0]
    for match in re.finditer(r"以及|兼任|兼(?!职)|及|和|与|、", body):
        before = body[cuts[-1]:match.start()]
        if before.endswith(STRONG_ORG_SUFFIXES) or title_end.search(before):
            cuts.extend([match.start(), match.end()])
    cuts.append(len(body))
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]


def _org_end(body: str, *, any_rest: bool = False) -> int:
    """End of the organisation at the start of `body`: after the last strong suffix that leaves only a title."""
    end = _org_end_bare(body, any_rest=any_rest)
    if end and (bracket := _name_bracket().match(body, end)):
        return bracket.end()
    return end


def _org_end_bare(body: str, *, any_rest: bool) -> int:
    for special in SPECIAL_ORGS:
        if body.startswith(special) and (len(body) == len(special) or not body[len(special)].isdigit()):
            candidate = len(special)
            break
    else:
        candidate = 0
    _, _, title_end = _patterns()
    fallback = 0
    for index in range(len(body), 1, -1):
        prefix = body[:index]
        if not prefix.endswith(STRONG_ORG_SUFFIXES) or body.startswith(_NOT_AFTER_ORG, index):
            continue
        if prefix in _WEAK_ORG_SUFFIXES or prefix == "大学" or prefix.endswith(_COMMITTEES):
            continue  # 投资发展科科长, 大学教授, 公司审计委员会主任: not an organisation of its own
        if (prefix.endswith(("大学会", "关系", "体系", "联系", "派系", "董事局"))
                or prefix.endswith("系") and body.startswith(("统", "列"), index)):
            continue  # 大学会计, 关联关系: the suffix is part of another word
        rest = body[index:]
        if body.startswith(_SUFFIX_HEADS, index - 1):
            continue  # 东港港务局局长, 厂长经理: the suffix character opens the title
        if rest.startswith(_DEPT_CHARS) and rest[1:].startswith(ENTITY_TITLE_HEADS + TITLE_MODIFIERS):
            continue  # 投资部经理: the 部 belongs to the title
        if any_rest:
            if not prefix.endswith(_WEAK_ORG_SUFFIXES):
                return index
            fallback = fallback or index
            continue
        rest = rest[m.end():] if (m := _INNER_TRIGGER.match(rest)) else rest
        if (not rest or title_end.search(rest) or _JUNK_TAIL.fullmatch(rest) or _BARE_DEPT.fullmatch(rest)
                or _VERB_AFTER_ORG.match(rest)):
            # 投资/证券/控股 also open department names (投资部): use them only when nothing better ends the name.
            if not prefix.endswith(_WEAK_ORG_SUFFIXES):
                return index
            fallback = fallback or index
    if fallback:
        return fallback
    if candidate:
        return candidate
    if body.endswith(("委员会", "中心", "办公室")) and not title_end.search(body):
        return len(body)
    return 0


def _title_start(piece: str) -> int:
    """Where the title begins in `piece` when no organisation suffix marks it: walk back over heads and modifiers."""
    _, _, title_end = _patterns()
    cut = len(piece)
    if ((head := title_end.search(piece)) and head.group(0).endswith(("师", "专家"))
            and not _DEPT.search(piece[:head.start()]) and not piece[:head.start()].endswith("总")):
        return 0  # 中国注册资产评估师, 无损检测助理工程师: a professional title, not [ORG][title]
    while cut > 0:
        head = _known_head().search(piece[:cut]) or title_end.search(piece[:cut])
        if head:
            cut = head.start()
            continue
        for modifier in TITLE_MODIFIERS:
            if piece[:cut].endswith(modifier):
                cut -= len(modifier)
                break
        else:
            if unit_verb := _UNIT_VERB_END.search(piece[:cut]):
                cut = unit_verb.start()  # 供销社人事科任|劳资员: the title proper follows 任
                continue
            if dept := _DEPT.search(piece[:cut]):
                if dept.start() == 0 and dept.end() >= 4 and piece.startswith(PROVINCES):
                    return dept.end()  # 杭州工程部 + 经理: a unit named after a place is an organisation
                cut = _department_start(piece[:cut], dept.group(1)) or dept.start()
                continue
            break
    return cut if cut >= 4 else 0


def _department_start(name: str, suffix: str) -> int:
    """Start of a department named by known stems before its suffix (蓝海科技|销售事业部); 0 when none is named."""
    cut = len(name) - len(suffix)
    start = cut
    while stem := next((word for word in DEPARTMENT_STEMS if name[:start].endswith(word)), None):
        start -= len(stem)
    return start if start < cut and start >= 2 else 0
