"""Lookups of what a text names: district, degree, major, role (resolved in the catalogue), years of experience."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from assistant.vocab._data import load_yaml
from assistant.vocab.catalogue import load_catalogue
from assistant.vocab.education import degree_name, find_degree
from assistant.vocab.places import find_district

__all__ = ["ENGLISH_ROLES", "RoleMatch", "degree_name", "find_degree", "find_district", "find_major", "find_role",
           "find_years", "resolve_role"]

_MAJOR_RE = re.compile(r"(?:学|读|是|的)?([\u4e00-\u9fff]{2,12}?)(?:专业|系毕业|方向的?(?:硕士|博士|本科))")
_DEGREE_MAJOR_RE = re.compile(r"([\u4e00-\u9fff]{2,12})(?:硕士|博士|本科|研究生)")
_YEARS_RE = re.compile(
    r"(\d{1,2}(?:\.\d)?|[一二三四五六七八九十两]{1,2})\s*年(?:以上)?(?:的)?(?:工作|相关|从业|开发|研发)?经验")
_ROLE_SUFFIX_RE = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9+#]{0,20}(?:工程师|分析师|设计师|架构师|经理|专员|主管|总监|顾问|研发|开发|运营|测试|算法"
    r"|技术员|会计|教师|老师|医生|护士|销售|研究员|分析|技工|司机|文员|助理|工艺|质检|采购|HR|hr)"
)
_ROLE_VERB_RE = re.compile(
    r"(?:想做|想当|想找|想从事|从事|应聘|求职|招聘|招|找|做|当)([\u4e00-\u9fffA-Za-z0-9+#]{2,12}?)"
    r"(?:方面|方向)?(?:的|工作|岗位|职位|，|,|。|？|\?|$)")
_ROLE_PREFIX_RE = re.compile(
    r"^.*(?:想做|想当|想找|想从事|从事|应聘|求职|招聘|招收|招|找|做|当|是|个|名|位|我|投递|投(?!资)|转行|成为|干|才能|简历|去)")
ENGLISH_ROLES: dict[str, str] = {str(k): str(v) for k, v in load_yaml("roles.yaml")["english_roles"].items()}
_CN_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ROLE_STOP = {"什么", "哪些", "岗位", "工作", "职位", "人才", "一下", "简历", "政策", "补贴", "这个", "那个"}


@dataclass(frozen=True)
class RoleMatch:
    """A free-text role resolved against the job catalogue."""

    industry: str
    function: str
    chain: str
    title: str


def find_major(text: str) -> str | None:
    """A major ("机械专业" → 机械设计制造及其自动化 when the catalogue lists one containing it)."""
    match = _MAJOR_RE.search(text)
    if not match:  # "计算机博士": only a word the catalogue's majors start with counts here
        bare = _DEGREE_MAJOR_RE.search(text)
        word = bare.group(1)[-6:] if bare else ""
        return next((m for m in _catalogue_majors() for n in range(len(word) - 1) if m.startswith(word[n:])), None)
    word = re.sub(r"^(?:我是|我学|我读|学|读|是)", "", match.group(1))
    word = re.sub(r"(?:硕士|博士|本科|大专)$", "", word)
    if len(word) < 2:
        return None
    majors = _catalogue_majors()
    return next((m for m in majors if m == word), None) or next((m for m in majors if m.startswith(word)), None) \
        or next((m for m in majors if word in m), word)


@cache
def _catalogue_majors() -> list[str]:
    catalogue = load_catalogue()
    return list(dict.fromkeys(m for name in catalogue.industries for m in catalogue.industry(name)["majors"]))


def find_years(text: str) -> float | None:
    """Years of experience a text states ("3年工作经验", "五年经验")."""
    match = _YEARS_RE.search(text)
    if not match:
        return None
    value = match.group(1)
    return float(value) if value[0].isdigit() else float(_CN_NUMBERS.get(value[-1], 1) + (9 if len(value) == 2 else 0))


def find_role(text: str) -> str | None:
    """The job a text wants or offers ("想做新能源汽车电池研发" → 新能源汽车电池研发)."""
    district = find_district(text)
    if district:
        text = text.replace(district, " ").replace(district.removesuffix("区"), " ")
    lowered = text.lower()
    for english in sorted(ENGLISH_ROLES, key=len, reverse=True):
        if re.search(rf"(?<![a-z]){re.escape(english)}s?(?![a-z])", lowered):
            return ENGLISH_ROLES[english]
    for match in [*_ROLE_SUFFIX_RE.finditer(text), *_ROLE_VERB_RE.finditer(text)]:
        role = match.group(match.lastindex or 0).rsplit("的", 1)[-1]
        role = _ROLE_PREFIX_RE.sub("", role).strip()
        if len(role) >= 2 and role not in _ROLE_STOP and not role.startswith(("什么", "哪些", "一下")):
            return role
    return None


def _bigrams(text: str) -> set[str]:
    runs = re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9+#]+", text)
    return {run[i:i + 2] for run in runs for i in range(max(1, len(run) - 1))}


@cache
def _role_table() -> list[tuple[str, str, set[str], set[str], dict[str, set[str]], list[str]]]:
    catalogue = load_catalogue()
    table = []
    for industry in catalogue.industries:
        spec = catalogue.industry(industry)
        chains = {chain: _bigrams(chain) for chain in spec["chains"]}
        for function, fspec in spec["functions"].items():
            own = _bigrams(function) | {b for title in fspec["titles"] for b in _bigrams(title)}
            table.append((industry, function, _bigrams(industry), own, chains, list(fspec["titles"])))
    return table


def resolve_role(role: str) -> RoleMatch | None:
    """The catalogue industry, function, chain and closest title of a free-text role, when the words say so."""
    wanted = _bigrams(role)
    if not wanted:
        return None
    best: tuple[float, RoleMatch] | None = None
    for industry, function, industry_grams, own, chains, titles in _role_table():
        own = own - industry_grams  # "汽车研发" in 智能网联新能源汽车: 汽车 already counts for the industry
        own_hits = len(wanted & own)
        chain = max(chains, key=lambda c: len(wanted & chains[c]))
        chain_hits = len(wanted & chains[chain])
        score = 2.0 * own_hits + len(wanted & industry_grams) + chain_hits
        if own_hits == 0 or score < 3:
            continue
        title = max(titles, key=lambda t: len(wanted & _bigrams(t)))
        if best is None or score > best[0]:
            best = (score, RoleMatch(industry, function, chain if chain_hits else "", title))
    return best[1] if best else None
