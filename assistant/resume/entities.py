"""Rule-and-lexicon tagger for the ResumeNER labels (NAME CONT RACE TITLE EDU ORG PRO LOC) with character offsets."""

from __future__ import annotations

import re
from functools import cache

from assistant.resume.lexicon import COMPOUND_SURNAMES, COUNTRIES, ETHNIC_GROUPS, SURNAMES, TITLE_HEADS
from assistant.resume.models import Entity

PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 "
    "陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
).split()
# Endings that close an organisation name; department words (部, 室, 中心, 车间) stay with the title after them.
STRONG_ORG_SUFFIXES = tuple(sorted(
    (
        "股份有限公司 有限责任公司 有限公司 总公司 分公司 子公司 公司 集团 控股 银行 分行 支行 总行 证券 信托 投资 保险 "
        "大学 学院 学校 中学 党校 研究生院 研究院 研究所 研究会 设计院 科学院 总院 医院 事务所 交易所 "
        "委员会 协会 学会 商会 联合会 基金会 合作社 政府 政协 人大 法院 检察院 军区 分区 "
        "工厂 分厂 总厂 厂 局 厅 系 市委 省委 县委 会社 出版社 报社 电视台 实验室 Inc. Ltd. Group Corporation"
    ).split(),
    key=len, reverse=True,
))
SPECIAL_ORGS = ("中国共产党", "中国民主建国会", "中国民主同盟", "九三学社", "中国致公党", "中国农工民主党", "本公司", "该公司", "本行", "公司")
SPECIAL_TITLES = ("中共党员", "中共预备党员", "共产党员", "民盟盟员", "民建会员", "九三学社社员", "党员")
# Words that may stand before a title head inside the same title (副总经理, 独立非执行董事, 财务部经理 …).
TITLE_MODIFIERS = tuple(sorted(
    (
        "副 总 常务 执行 非执行 独立 高级 首席 资深 正高级 教授级 研究员级 助理 兼职 外部 职工 职工代表 代理 名誉 客座 特聘 "
        "党委 党组 纪委 工会 团委 党支部 党总支 董事会 监事会 董事局 财务 技术 市场 销售 营销 运营 行政 人力资源 生产 质量 "
        "项目 研发 投资 审计 法律 综合 业务 区域 大区 中国区 亚太区 华东区 华南区 华北区 西南区 证券事务 部门 机关 厂 院 "
        "第一届 第二届 第三届 第四届 第五届 第六届 第七届 第八届 第九届 第十届 会计学"
    ).split(),
    key=len, reverse=True,
))
_WEAK_ORG_SUFFIXES = ("投资", "证券", "控股", "信托", "保险")
_NOT_AFTER_ORG = ("部", "科", "处", "室", "组", "中心", "事业部", "事务")
_DEPT = re.compile(r"[\u4e00-\u9fa5]{1,8}?(?:部|室|中心|车间|办公室|办|科|处|组|事业部|分部|委员会)$")

_PUNCT = "，,、。；;：:《》“”\"' \t！!？?·/|"
_DATE_PREFIX = re.compile(
    r"(?:(?:自|从|于|在)?(?:19|20)\d{2}[./]\d{1,2}|(?:自|从|于|在)?(?:19|20)\d{2}年?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:[-—–~～至到](?:(?:19|20)\d{2}年?(?:\d{1,2}月)?(?:\d{1,2}日)?|今))?"
    r"|(?:19|20)?\d{2}年代|近(?:\d+|[一二三四五六七八九十]+)年(?:来|内)?|[-—–~～至到](?:19|20)\d{2}年?(?:\d{1,2}月)?|原|等|此前|其后|之后|此后|期间|主要|自|从)+"
    r"(?:起|至今|以来|之后|后|前|期间|开始)?"
)
_TRIGGER = re.compile(
    r"(?:自|从)?(?:先后|分别||曾经|曾|现|又|再|并|同时|还|一直|目前|后|至今|起|历)?"
    r"(?:兼职|创立|创办|创建|组建|留|(?:续|获|改|接|转|升|调|聘|连|再|新)任(?:为)?|就任|任职于|就职于|供职于|工作于|服务于|毕业于|就读于|受聘于|任职|担任|出任|兼任|历任|现任|曾任|聘任为|当选为|被聘为|"
    r"加入|进入|调入|调任|升任|转任|任|在|于|为|是|至)"
)
_INNER_TRIGGER = re.compile(r"(?:担任|出任|兼任|任职|任|从事|工作|历任)")
_EDU = re.compile(
    r"(?:大学本科|大学专科|硕士研究生|博士研究生|在职研究生|研究生|大学|本科|大专|专科|中专|高中|初中|硕士|博士|学士|EMBA|MBA)"
    r"(?:学历|学位|文化|毕业)?(?!生导师|后|生院)"
)
_PRO = re.compile(r"([\u4e00-\u9fa5]{1,8}?(?:学|专业))$")
_NAME_HONORIFIC = re.compile(r"([\u4e00-\u9fa5]{1,3}?)(?:先生|女士)")
_JUNK_TAIL = re.compile(r"(?:等职务|等职|职务|一职|职位|职称|工作|至今|以来|等)$")
_CONT = None


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    countries = "|".join(sorted(map(re.escape, COUNTRIES), key=len, reverse=True))
    cont = re.compile(rf"(?:{countries})(?:国籍|籍|公民)")
    race = re.compile("(?:" + "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True)) + ")族(?![\u4e00-\u9fa5]*(?:自治|乡|村))")
    heads = "|".join(map(re.escape, sorted(set(TITLE_HEADS) | {"党员", "副总", "总裁助理"}, key=len, reverse=True)))
    title_end = re.compile(rf"(?:{heads}|(?<=[\u4e00-\u9fa5]{{2}})师)$")
    return cont, race, title_end


def tag_entities(text: str) -> list[Entity]:
    """Entities in one line of résumé text, sorted by start offset, never overlapping."""
    found: list[tuple[int, int, str]] = []
    start = 0
    breaks = _remark_brackets(text)
    for index in range(len(text) + 1):
        if index == len(text) or text[index] in _PUNCT or index in breaks:
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
        if before.endswith(STRONG_ORG_SUFFIXES) and not before.endswith(("集团", "控股")) or title_end.search(before):
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
    if match := _EDU.search(seg, pos):
        if match.end() == len(seg) or seg[match.end():] in {"毕业", "在读"}:
            if not (match.group(0) == "大学" and match.start() > pos):
                edu = [(start + match.start(), start + match.end(), "EDU")]
                head_start = _strip_prefix(seg, pos)
                if lead := re.match(r"(?:获得?|取得|获取|授予|拥有|具有|是)+", seg[head_start:]):
                    head_start += lead.end()
                head = seg[head_start:match.start()]
                org_end = _org_end(head) if head else 0
                if org_end and not head.startswith(SPECIAL_ORGS[-4:]):
                    edu.append((start + head_start, start + head_start + org_end, "ORG"))
                    if 2 <= len(head) - org_end <= 12:
                        edu.append((start + head_start + org_end, start + match.start(), "PRO"))
                elif (pro := _PRO.search(head)) and not re.search(r"大学|学院", pro.group(1)) and len(pro.group(1)) >= 2:
                    offset = match.start() - len(pro.group(1))
                    edu.append((start + offset, start + match.start(), "PRO"))
                return out + edu if match.start() - pos <= 24 else out
    if re.fullmatch(r"(?:籍贯)?(?:" + "|".join(PROVINCES) + r")[\u4e00-\u9fa5]{1,8}人", seg[pos:]) and len(seg) - pos <= 12:
        return [*out, (start + pos + (2 if seg[pos:].startswith("籍贯") else 0), end, "LOC")]
    return out + [(start + a, start + b, kind) for a, b, kind in _org_title(seg, pos, title_end)]


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
    if first and 2 <= len(seg) <= 4 and (seg[0] in SURNAMES or seg.startswith(COMPOUND_SURNAMES)):
        if not re.search(r"[年月日]|出生|学历|国籍|党员|公司|先生|女士", seg) and not _EDU.fullmatch(seg):
            return 0, len(seg), len(seg)
    return None


def _strip_prefix(seg: str, pos: int) -> int:
    while True:
        new = pos
        if match := _DATE_PREFIX.match(seg, new):
            new = match.end()
        if match := _TRIGGER.match(seg, new):
            new = match.end()
        if new == pos:
            return pos
        pos = new


def _org_title(seg: str, pos: int, title_end: re.Pattern[str]) -> list[tuple[int, int, str]]:
    pos = _strip_prefix(seg, pos)
    end = len(seg)
    if junk := _JUNK_TAIL.search(seg, pos):
        end = junk.start()
    body = seg[pos:end]
    if len(body) < 2:
        return []
    out: list[tuple[int, int, str]] = []
    # Organisations or titles joined by 兼/及/和/与: each part is an [ORG][TITLE] of its own.
    for a, b in _parts(body, title_end):
        a = _strip_prefix(body, a)
        piece = body[a:b]
        if len(piece) < 2:
            continue
        org_end = _org_end(piece)
        if org_end:
            out.append((pos + a, pos + a + org_end, "ORG"))
            rest = org_end
            if inner := _INNER_TRIGGER.match(piece, rest):
                rest = inner.end()
            a, piece = a + rest, piece[rest:]
            if not piece:
                continue
        if not title_end.search(piece):
            continue
        title_start = 0 if org_end else _title_start(piece)
        if title_start:
            out.append((pos + a, pos + a + title_start, "ORG"))
        out.append((pos + a + title_start, pos + a + len(piece), "TITLE"))
    return out


def _parts(body: str, title_end: re.Pattern[str]) -> list[tuple[int, int]]:
    """Split at 兼/及/和/与/以及 only where the text before it closes an organisation or a title (not 协和)."""
    cuts = [0]
    for match in re.finditer(r"以及|兼任|兼|及|和|与|、", body):
        before = body[cuts[-1]:match.start()]
        if before.endswith(STRONG_ORG_SUFFIXES) or title_end.search(before):
            cuts.extend([match.start(), match.end()])
    cuts.append(len(body))
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]


def _org_end(body: str) -> int:
    """End of the organisation at the start of `body`: after the last strong suffix that leaves only a title."""
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
        if not prefix.endswith(STRONG_ORG_SUFFIXES) or body.startswith(_NOT_AFTER_ORG, index) or prefix.endswith("大学会"):
            continue
        rest = body[index:]
        rest = rest[m.end():] if (m := _INNER_TRIGGER.match(rest)) else rest
        if not rest or title_end.search(rest) or _JUNK_TAIL.fullmatch(rest):
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
    while cut > 0:
        head = title_end.search(piece[:cut])
        if head:
            cut = head.start()
            continue
        for modifier in TITLE_MODIFIERS:
            if piece[:cut].endswith(modifier):
                cut -= len(modifier)
                break
        else:
            if dept := _DEPT.search(piece[:cut]):
                cut = dept.start()
                continue
            break
    return cut if cut >= 4 else 0
