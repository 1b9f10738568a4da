"""The person asking as part of the question: "我是硕士毕业生，来重庆工作有什么补贴？" becomes a typed context
(education, career stage, nationality, district, employer type) that steers retrieval and opens the answer.

The facts themselves are read by the eligibility parser (`assistant.eligibility.facts`), one layer above this
package: the composition root hands PolicyService a `PersonReader` built on it, and the chat passes the context
of a session's résumé or a logged-in talent's profile. This module only holds the typed context, splits the
person's clause from the question, and decides how the context ranks passages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Literal

from pydantic import BaseModel, Field

from assistant.retrieval.search import Hit
from assistant.retrieval.tokenizing import token_set
from assistant.vocab.education import DEGREES, PASSAGE_WORDS, SKILL_LEVELS, Degree, named_policy_degrees

ContextSource = Literal["stated", "from_resume", "profile"]

# A clause about the speaker: "我是…", "我在璧山创业", "我博士后出站三年了", "本人…", "作为一名…".
_PERSON_CLAUSE = re.compile(
    r"^\s*(?:我(?:现在|目前|已经|今年)?(?:是|在|刚|已|博士|硕士|本科|大专|从|做|读|有)|本人|作为)")
_CLAUSE_END = re.compile(r"[，,。；;！!]")
_ASKING = re.compile(r"多少|几[名个项人年月天]|什么|哪|吗|[？?]")
_ENTREPRENEUR = re.compile(r"创业|创办|开(?:了)?(?:一家)?公司|自己开公司")
_GRADUATE = re.compile(r"应届|毕业生|刚毕业|即将毕业")
# Boosts for passages of the person's audience and the demotion of passages for another one: small enough
# that the words of the question itself still decide (a 博士后 asking about 博士直通车 gets 博士直通车).
AUDIENCE_BOOST = 0.25
OTHER_AUDIENCE_PENALTY = 0.6


class PersonContext(BaseModel):
    """Who is asking, as far as they said (or their résumé / profile says); every field optional."""

    education: str | None = Field(default=None, description="大专/本科/硕士/博士/博士后")
    postdoc: str | None = Field(default=None, description="在站/出站/拟进站")
    postdoc_out_years: float | None = None
    career: str | None = Field(default=None, description="创业/毕业生: the stage the person names")
    nationality: str | None = Field(default=None, description="外籍/中国籍")
    district: str | None = Field(default=None, description="The district they work (or will work) in, e.g. 璧山区.")
    employer_type: str | None = Field(default=None, description="企业/高校/科研院所/医疗卫生机构")
    skill: str | None = Field(default=None, description="Vocational skill level: 初级工/中级工/高级工/技师/高级技师")
    field: str | None = None
    source: ContextSource = "stated"
    evidence: str = Field(default="", description="The words (or profile) it was read from.")

    def is_empty(self) -> bool:
        return not (self.education or self.postdoc or self.career or self.nationality or self.district
                    or self.employer_type or self.skill)

    def merged(self, later: PersonContext) -> PersonContext:
        """This context with every field `later` states laid over it (what the person says now wins)."""
        update = {k: v for k, v in later.model_dump(exclude={"source", "evidence"}).items() if v is not None}
        merged = self.model_copy(update=update)
        if not later.is_empty():
            merged.source, merged.evidence = later.source, later.evidence or self.evidence
        return merged

    def degree(self) -> Degree | None:
        """The degree the person holds as the education scale names it (在站/出站 博士后 → 博士后), if known."""
        if self.postdoc or self.education == "博士后":
            return "博士后"
        return next((d for d in DEGREES if d == self.education), None)

    def audience(self) -> dict[str, str]:
        """The person's category on each scale a line may key figures to (compose.SCALES): degree, skill level,
        kind of employer."""
        found = {"education": self.degree(), "skill": self.skill if self.skill in SKILL_LEVELS else None,
                 "employer": self.employer_type}
        return {name: value for name, value in found.items() if value}

    def search_terms(self) -> list[str]:
        """Words of the corpus that name the person's category, searched with the question part."""
        terms: list[str] = []
        if self.postdoc or self.education == "博士后":
            terms.append("博士后")
            if self.postdoc in ("出站", "在站"):
                terms.append(self.postdoc)
        elif self.education:
            terms.append(self.education)
        if self.nationality == "外籍":
            terms.append("外籍人才")
        if self.career == "创业":
            terms.append("创业")
        return terms

    def describe(self) -> str:
        """The context in the answer's words: "您的硕士学历", "您博士后出站3年的情况", "您外籍人才的身份"."""
        parts: list[str] = []
        if self.postdoc == "出站":
            years = f"{self.postdoc_out_years:g}年" if self.postdoc_out_years else ""
            parts.append(f"博士后出站{years}的情况")
        elif self.postdoc == "在站":
            parts.append("在站博士后身份")
        elif self.education:
            parts.append(f"{self.education}学历")
        if self.skill:
            parts.append(f"{self.skill}技能等级")
        if self.nationality == "外籍":
            parts.append("外籍人才身份")
        if self.career == "创业":
            parts.append(f"在{self.district}创业的情况" if self.district else "创业者身份")
        elif self.district:
            parts.append(f"在{self.district}工作的情况")
        elif self.employer_type:
            parts.append(f"在{self.employer_type}工作的情况")
        if not parts:
            return ""
        origin = {"from_resume": "简历中", "profile": "档案中"}.get(self.source, "")
        return f"按您{origin}的{'、'.join(parts)}"

    def wanted_words(self) -> set[str]:
        """Words that mark a passage or document for this person."""
        words: set[str] = set()
        if self.postdoc or self.education == "博士后":
            words.update(("博士后", self.postdoc or "博士后"))
        elif self.education:
            degree = self.degree()
            words.update(PASSAGE_WORDS.get(degree, (self.education,)) if degree else (self.education,))
        if self.nationality == "外籍":
            words.update(("外籍人才", "外籍", "外国", "海外", "境外"))
        if self.career == "创业":
            words.update(("创业", "创新创业", "初创"))
        if self.career == "毕业生":
            words.update(("毕业生", "高校毕业生"))
        if self.district:
            words.update((self.district, self.district.removesuffix("区").removesuffix("县")))
        if self.employer_type:
            words.add(self.employer_type)
        return {w for w in words if w}

    def other_audiences(self) -> set[str]:
        """Words of audiences this person is not: a 硕士's or a 博士's question is not about 博士后 passages."""
        if self.education in ("大专", "本科", "硕士", "博士") and not self.postdoc:
            return {"博士后"}
        return set()


PersonReader = Callable[[str], PersonContext]


def context_from_facts(values: Mapping[str, object], source: ContextSource = "stated",
                       evidence: str = "") -> PersonContext:
    """A context from known eligibility facts by name (`PersonFacts.known()` values: education, postdoc …)."""

    def text(name: str) -> str | None:
        value = values.get(name)
        return str(value) if isinstance(value, (str, int, float)) and str(value) else None

    out_years = values.get("postdoc_out_years")
    return PersonContext(
        education=text("education"), postdoc=text("postdoc"),
        postdoc_out_years=float(out_years) if isinstance(out_years, (int, float)) else None,
        nationality=text("nationality"),
        district=text("district") if values.get("residence") in (None, "在渝") else None,
        employer_type=text("employer_type"), skill=text("skill"), field=text("field"), source=source,
        evidence=evidence)


def split_person_clause(question: str) -> tuple[str, str]:
    """("我是硕士毕业生", "来重庆工作有什么补贴？") for a question that opens with a clause about the speaker;
    ("", question) when it does not (or the rest would be empty)."""
    if not _PERSON_CLAUSE.match(question):
        return "", question
    end = _CLAUSE_END.search(question)
    if end is None:
        return "", question
    clause, rest = question[: end.start()].strip(), question[end.end():].strip()
    return (clause, rest) if rest else ("", question)


def audience_in(question: str) -> PersonContext | None:
    """The one education category a question is about ("重庆对博士有什么补贴？" → 博士), to rank passages of that
    audience first; None when it names none or several (博士 and 博士后 both)."""
    found = named_policy_degrees(question)
    if len(found) != 1:
        return None
    return PersonContext(education=found.pop(), evidence=question)


def audience_asked(question: str) -> PersonContext | None:
    """The education category an answer is for: `audience_in`, or where the question names several (a programme
    named "工程硕士博士专项"), the one named by the clause that asks ("…，博士招生指标多少名？")."""
    found = audience_in(question)
    if found is not None or not named_policy_degrees(question):
        return found
    asking = [clause for clause in _CLAUSE_END.split(question) if _ASKING.search(clause)]
    return audience_in(asking[-1]) if asking else None


def career_of(clause: str) -> str | None:
    """The career stage a clause names that the eligibility facts do not type (创业, 毕业生)."""
    if _ENTREPRENEUR.search(clause):
        return "创业"
    if _GRADUATE.search(clause):
        return "毕业生"
    return None


def steer(hits: list[Hit], person: PersonContext, top_k: int, boost: bool = True) -> list[Hit]:
    """The hits re-ranked for the person: documents of their audience rise (unless `boost` is off), documents and
    passages that are only about another audience (博士后 for a 硕士) sink; then the best `top_k`."""
    wanted, other = person.wanted_words(), person.other_audiences()
    if not wanted and not other:
        return hits[:top_k]

    def factor(hit: Hit) -> float:
        words = token_set(hit.chunk.text) | token_set(hit.document.title)
        audience = set(hit.document.audience)
        value = 1.0
        if boost and (audience & wanted or (person.district and person.district in hit.chunk.text)):
            value += AUDIENCE_BOOST
        # A document for another audience (its audience metadata, or a passage that names only that one).
        if other and (audience & other and not audience & wanted or words & other and not words & wanted):
            value *= OTHER_AUDIENCE_PENALTY
        return value

    ranked = sorted(enumerate(hits), key=lambda item: (-item[1].fused * factor(item[1]), item[0]))
    return [hit for _, hit in ranked][:top_k]
