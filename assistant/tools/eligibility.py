"""The eligibility tool: which policies and project calls the person may apply for, condition by condition.

Facts come from the session's uploaded résumé and from what the person said about themselves in this session
("我是35岁的博士"
 "，在渝北区一家企业工作3年"; "那如果我去璧山呢？" changes the district); EligibilityService evaluates them.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Field

from assistant.eligibility.models import PersonFacts
from assistant.errors import InvalidInputError
from assistant.policy.answering import Citation
from assistant.tools.base import ToolContext
from assistant.tools.models import ToolInput

MAX_STATEMENTS = 20
NO_FACTS = ("我还不了解你的情况：请先上传简历，或告诉我你的学历、年龄、工作年限和工作所在区县，"
            "例如“我是35岁的博士，在渝北区一家企业工作3年”。")
_SOURCES = {"from_resume": "简历", "stated": "对话", "profile": "档案"}
_FACT_NAMES = {"age": "年龄", "birth_date": "出生年月", "education": "学历", "field": "专业", "degree_date": "取得学位",
               "work_years": "工作年限", "chongqing_years": "在渝工作年限", "employer_years": "现单位年限",
               "contract_years": "劳动合同期限", "postdoc": "博士后", "postdoc_out_years": "出站年限", "title": "职称",
               "tier": "人才层次", "nationality": "国籍", "residence": "工作地", "employer_type": "单位类型",
               "district": "区县", "awards": "已获项目/荣誉", "first_job_cq": "首次在渝全职就业",
               "postdoc_entry": "（拟）进站时间", "share": "持股比例（%）"}


class CheckEligibilityInput(ToolInput):
    """What the person says about themselves in this message (added to what the session already knows)."""

    statement: str | None = Field(default=None, max_length=500, description=(
        "The user's own words about themselves, e.g. 我是35岁的博士，在渝北区一家企业工作3年 or 如果我去璧山; "
        "empty = use the résumé and earlier statements only."))
    top_k: int = Field(default=5, ge=1, le=20, description="How many documents to list.")


class EligibilityItem(BaseModel):
    """One document's verdict as the chat shows it."""

    doc_id: str
    title: str
    verdict: str
    summary: str
    met: list[str] = Field(description="Conditions met, each ending in its citation [n].")
    open: list[str] = Field(description="Conditions not yet known, each ending in its citation [n].")
    failed: list[str] = Field(description="Conditions not met, each ending in its citation [n].")
    amounts: list[str]
    questions: list[str]
    deadline: dt.date | None
    deadline_soon: bool
    materials: list[str]
    was: str | None = Field(default=None, description="The verdict before this turn's new facts, when it changed.")


class CheckEligibilityOutput(BaseModel):
    """The person's facts (with where each came from), the documents they may apply for, and what to answer next."""

    facts: dict[str, str] = Field(description="Known facts: name → value（来源）.")
    counts: dict[str, int]
    items: list[EligibilityItem]
    questions: list[str] = Field(description="The questions that would settle most open conditions.")
    citations: list[Citation] = Field(description="The passages [n] refers to.")
    note: str | None = None


def session_facts(ctx: ToolContext) -> PersonFacts:
    """The résumé's facts with every statement of this session laid over them, oldest first."""
    assert ctx.eligibility is not None
    facts = PersonFacts()
    if ctx.state.resume is not None:
        document = ctx.resumes.document(ctx.state.resume, fields=ctx.state.resume_fields)
        facts = ctx.eligibility.facts_from_resume(document)
    for statement in ctx.state.eligibility_statements:
        facts = facts.merged(ctx.eligibility.facts_from_text(statement))
    return facts


def check_eligibility(ctx: ToolContext, inp: CheckEligibilityInput) -> CheckEligibilityOutput:
    """Evaluate every policy and project call for the session's person (EligibilityService.evaluate)."""
    if ctx.eligibility is None:
        raise InvalidInputError("政策条件判断暂不可用。")
    statement = (inp.statement or "").strip()
    if statement:
        ctx.state.eligibility_statements = [*ctx.state.eligibility_statements, statement][-MAX_STATEMENTS:]
    facts = session_facts(ctx)
    known = facts.known()
    if not known:
        raise InvalidInputError(NO_FACTS)
    report = ctx.eligibility.evaluate(facts)
    citations: dict[tuple[str, str], Citation] = {}
    titles = {v.doc_id: v.title for v in report.verdicts}

    def mark(doc_id: str, passage: str) -> str:
        key = (doc_id, passage)
        if key not in citations:
            citations[key] = Citation(n=len(citations) + 1, doc_id=doc_id, title=titles.get(doc_id, doc_id),
                                      kind="policy", snippet=passage, score=1.0)
        return f"[{citations[key].n}]"

    earlier = ctx.state.last_verdicts
    changed = {v.doc_id: earlier[v.doc_id] for v in report.verdicts if v.doc_id in earlier
               and earlier[v.doc_id] != v.verdict}
    ctx.state.last_verdicts = {v.doc_id: v.verdict for v in report.verdicts}
    ranked = sorted(report.verdicts, key=lambda v: v.doc_id not in changed)  # stable: changes first, then as ranked
    shown = [v for v in ranked if v.verdict != "不符合" or v.doc_id in changed][: inp.top_k]
    if not shown:
        shown = report.verdicts[: min(3, inp.top_k)]
    items = []
    for v in shown:
        best = next((t for t in v.tracks if t.track == v.best_track), None)
        results = [*v.gates, *(best.results if best else [])]
        line = {"met": [], "unknown": [], "not_met": []}  # type: dict[str, list[str]]
        for r in results:
            line[r.status].append(f"{r.reason}{mark(v.doc_id, r.condition.passage)}")
        items.append(EligibilityItem(
            doc_id=v.doc_id, title=v.title, verdict=v.verdict, summary=v.summary, met=line["met"][:6],
            open=line["unknown"][:6], failed=line["not_met"][:4], amounts=v.amounts[:3], questions=v.questions[:3],
            deadline=v.deadline, deadline_soon=v.deadline_soon, materials=v.materials[:5],
            was=changed.get(v.doc_id)))
    facts_out = {(_FACT_NAMES.get(name, name)): f"{_value(fact.value)}（{_SOURCES.get(fact.source, fact.source)}）"
                 for name, fact in known.items()}
    note = None if any(v.verdict != "不符合" for v in report.verdicts) else "按已知信息，没有可能符合条件的政策。"
    return CheckEligibilityOutput(facts=facts_out, counts=report.counts, items=items, questions=report.questions,
                                  citations=list(citations.values()), note=note)


def _value(value: object) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "无"
    if isinstance(value, float):
        return f"{value:g}年"
    return str(value)


def eligibility_text(out: CheckEligibilityOutput) -> str:
    """The chat's reply: the facts used, then each document's verdict with its cited conditions and questions."""
    facts = "，".join(f"{name}：{value}" for name, value in out.facts.items())
    lines = [f"根据你的信息（{facts}），逐条核对了 {sum(out.counts.values())} 份政策和申报通知的条件："
             f"符合 {out.counts.get('符合', 0)} 份、可能符合 {out.counts.get('可能符合', 0)} 份。"]
    for i, item in enumerate(out.items, 1):
        change = f"（原为{item.was}）" if item.was else ""
        head = f"{i}. 《{item.title}》：{item.verdict}{change}。{item.summary}"
        if item.deadline:
            head += f" 截止：{item.deadline.isoformat()}{'（不足14天）' if item.deadline_soon else ''}。"
        lines.append(head)
        lines += [f"  ✓ {text}" for text in item.met[:3]]
        lines += [f"  ？ {text}" for text in item.open[:3]]
        lines += [f"  ✗ {text}" for text in item.failed[:2]]
        if item.amounts:
            lines.append("  可享受：" + "；".join(item.amounts))
    if out.questions:
        lines.append("回答下面的问题可以让判断更准确：" + " ".join(out.questions[:3]))
    if out.note:
        lines.append(out.note)
    return "\n".join(re.sub(r"\s+$", "", line) for line in lines)
