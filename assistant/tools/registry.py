"""The chat's tools: typed functions an engine (offline router or LLM) can call, each reaching only its session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from assistant.config import Settings
from assistant.errors import InvalidInputError
from assistant.policy.answering import Citation, clean_question, other_region
from assistant.policy.service import PolicyService
from assistant.retrieval.search import SearchFilters
from assistant.tools.career import (
    AnalyzeSkillsInput,
    AnalyzeSkillsOutput,
    ReviewResumeInput,
    ReviewResumeOutput,
    analyze_skills_tool,
    review_resume_tool,
)
from assistant.tools.job_matching import (
    MatchJobsInput,
    MatchJobsOutput,
    MatchTalentsInput,
    MatchTalentsOutput,
    match_jobs_tool,
    match_talents_tool,
)
from assistant.tools.models import SessionState, ToolCall, ToolInput, ToolResult

MAX_POLICY_HISTORY = 10


@dataclass
class ToolContext:
    """Built per turn by ChatService: the shared services and THIS session's state, nothing else."""

    assistant: PolicyService
    settings: Settings
    state: SessionState


@dataclass(frozen=True)
class ChatTool:
    """A tool as engines see it: name, a description for the model, typed input/output, the function."""

    name: str
    description: str
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    run: Callable[[ToolContext, Any], BaseModel]


class SearchPoliciesInput(ToolInput):
    """A standalone policy question."""

    question: str = Field(min_length=1, max_length=2000, description="A complete question, e.g. 博士后来渝有哪些补贴？")
    kinds: list[Literal["policy", "notice", "announcement"]] = Field(
        default_factory=list, description="Only these document kinds; empty = all.")
    active_only: bool = Field(default=False, description="Leave out expired, closed or superseded documents.")


class Passage(BaseModel):
    """A numbered source passage; answers cite it as [n]."""

    n: int
    doc_id: str
    title: str
    kind: str
    text: str
    score: float


class SearchPoliciesOutput(BaseModel):
    """The offline cited answer and the numbered passages it (and any other answer) must cite."""

    question: str
    answer: str
    grounded: bool
    passages: list[Passage]
    citations: list[Citation]


class TalentShortageInput(ToolInput):
    """Which slice of Chongqing's job market to rank by shortage."""

    chain: str | None = Field(default=None, max_length=40, description="Industry chain, e.g. 新能源汽车 or 动力电池.")
    district: str | None = Field(default=None, max_length=20)
    function: str | None = Field(default=None, max_length=40, description="Job function, e.g. 三电研发.")
    focus: Literal["all", "functions", "skills"] = Field(
        default="all", description="What was asked about: short job functions, short skills, or both.")
    top_k: int = Field(default=10, ge=1, le=30)


class TalentShortageOutput(BaseModel):
    """Shortage ranking from the insights module, with its data date and method."""

    data_date: str
    method: str
    rows: list[dict[str, Any]]
    summary: str


def search_policies(ctx: ToolContext, inp: SearchPoliciesInput) -> SearchPoliciesOutput:
    """Search the policy corpus and compose the offline cited answer; passages are numbered as the answer cites them."""
    question = clean_question(inp.question, ctx.settings.max_question_chars)
    filters = SearchFilters(kinds=list(inp.kinds), active_only=inp.active_only) if inp.kinds or inp.active_only else None
    search_text, result = ctx.assistant.gather(question, filters)
    answer = ctx.assistant.answerer.answer_from(search_text, result, ctx.settings.current_date())
    passages = [Passage(n=c.n, doc_id=c.doc_id, title=c.title, kind=c.kind, text=c.snippet, score=round(c.score, 4))
                for c in answer.citations]
    if other_region(search_text) is None:  # another city's question gets no passages to answer from
        cited = {c.snippet for c in answer.citations}
        for hit in result.hits:
            if hit.relevance >= ctx.settings.refusal_threshold and hit.chunk.text not in cited:
                cited.add(hit.chunk.text)
                passages.append(Passage(n=len(passages) + 1, doc_id=hit.document.id, title=hit.document.title,
                                        kind=hit.document.kind, text=hit.chunk.text, score=round(hit.relevance, 4)))
    ctx.state.last_policy_question = question
    ctx.state.policy_history = [*ctx.state.policy_history, question][-MAX_POLICY_HISTORY:]
    return SearchPoliciesOutput(question=question, answer=answer.answer, grounded=answer.grounded,
                                passages=passages, citations=answer.citations)


def talent_shortage(ctx: ToolContext, inp: TalentShortageInput) -> TalentShortageOutput:
    """Rank shortage functions/skills with the insights module (imported only when called)."""
    from assistant.insights.chat import ShortageQuery, shortage_query
    answer = shortage_query(ctx.settings, ShortageQuery(**inp.model_dump()))
    data = answer.model_dump(mode="json")
    return TalentShortageOutput(data_date=str(data.get("data_date", "")), method=str(data.get("method", "")),
                                rows=list(data.get("rows", [])), summary=str(data.get("summary", "")))


TOOLS: dict[str, ChatTool] = {tool.name: tool for tool in (
    ChatTool(
        "search_policies",
        "查询重庆人才政策、人才活动通知和项目申报文件，返回离线答案和编号段落 passages。凡是政策、补贴、申报条件、"
        "落户、安家费、博士后、人才认定、活动报名等问题都必须调用它，并且只能依据返回的段落作答、用 [n] 标注出处；"
        "question 须是完整、独立的问题（把“那博士后呢？”补全为“博士后来渝有哪些补贴？”）。",
        SearchPoliciesInput, SearchPoliciesOutput, search_policies),
    ChatTool(
        "match_jobs",
        "为求职者在重庆岗位库中匹配岗位（22 个维度打分并说明依据）。会自动使用本会话已上传的简历；也可传入用户"
        "自述的专业、学历、目标岗位、区县、技能、工作年限。用户问“有什么岗位适合我”“帮我找工作”“换成渝北区的”时调用。",
        MatchJobsInput, MatchJobsOutput, match_jobs_tool),
    ChatTool(
        "match_talents",
        "为招聘方描述的岗位（至少岗位名称，可加区县、学历、专业、技能、年限）在人才库中推荐人才。用户说“我要招…”"
        "“帮我找几个…人才/候选人”时调用。",
        MatchTalentsInput, MatchTalentsOutput, match_talents_tool),
    ChatTool(
        "analyze_skills",
        "统计岗位库中与目标岗位名称相近的招聘启事的高频技能（占比、必需比例、关键性），用于回答“某岗位需要哪些技能”。",
        AnalyzeSkillsInput, AnalyzeSkillsOutput, analyze_skills_tool),
    ChatTool(
        "review_resume",
        "评审本会话中用户上传的简历（打分、逐行修改建议、与目标岗位高频技能的比对）。简历只能来自本会话的上传，"
        "不接受文件路径。用户说“帮我看看简历”“简历怎么改”时调用。",
        ReviewResumeInput, ReviewResumeOutput, review_resume_tool),
    ChatTool(
        "talent_shortage",
        "重庆紧缺人才分析：按产业链、区县或职能给出最紧缺的岗位/技能（紧缺指数、岗位数、合格人才数、薪资溢价）。"
        "用户问“哪些岗位最紧缺”“某产业链缺什么人才/技能”时调用。",
        TalentShortageInput, TalentShortageOutput, talent_shortage),
)}


def run_tool(ctx: ToolContext, call: ToolCall) -> ToolResult:
    """Validate the call's input, run the tool on this session's context and dump its output as JSON."""
    tool = TOOLS.get(call.tool)
    if tool is None:
        raise InvalidInputError(f"未知的工具：{call.tool}")
    try:
        parsed = tool.input_model.model_validate(call.input)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "（整体）"
        raise InvalidInputError(f"工具 {call.tool} 的参数无效：{where}：{first['msg']}") from exc
    output = tool.run(ctx, parsed)
    return ToolResult(tool=tool.name, output=output.model_dump(mode="json"))
