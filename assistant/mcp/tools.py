"""The tools an MCP client may call: the chat agent's tools (assistant/tools/registry.py) plus the posting check,
each with the roles that may call it — the same split as the web API.

An MCP call has no chat session: a résumé comes as text with the call (`review_resume`, `match_jobs`), and every
call starts from an empty session state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, create_model

from assistant.app import App
from assistant.errors import InvalidInputError
from assistant.market.posting_review import PostingDraft, PostingVerdict
from assistant.tools.job_matching import MatchJobsInput, MatchJobsOutput, match_jobs_tool
from assistant.tools.models import SessionState, ToolInput
from assistant.tools.registry import TOOLS
from assistant.tools.resume_review import ReviewResumeInput as SessionReviewInput
from assistant.tools.resume_review import ReviewResumeOutput, review_resume_tool
from assistant.tools.shortage import TalentShortageInput

ROLES = ("anonymous", "talent", "employer", "staff")
EVERYONE = frozenset(ROLES)
EMPLOYERS = frozenset({"employer", "staff"})  # as /employer and /api/employer/*
PUBLIC_SHORTAGE_TOP = 10  # what /insights shows talents and visitors
MAX_RESUME_CHARS = 50_000
# Chat tools open to fewer roles than everyone; a tool added to the registry later is open to everyone, like the chat.
RESTRICTED = {"match_talents": EMPLOYERS}
# Chat tools that read the session's uploaded résumé: over MCP they take its text as `resume_text` instead.
READS_RESUME = ("check_eligibility",)
RESUME_NOTE = "（通过 MCP 调用时，简历以 resume_text 传入全文，不能上传文件。）"
ROLE_NAMES = {"anonymous": "访客", "talent": "人才", "employer": "招聘方", "staff": "工作人员"}

Runner = Callable[[App, Any, str], BaseModel]


@dataclass(frozen=True)
class McpTool:
    """A tool as MCP clients see it: name, description (the model reads it), typed input and output, roles."""

    name: str
    description: str
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    roles: frozenset[str]
    run: Runner


class ReviewResumeText(ToolInput):
    """A résumé as plain text and the job to review it against."""

    resume_text: str = Field(min_length=1, max_length=MAX_RESUME_CHARS,
                             description="The résumé's full text (copied from the file), one line per line.")
    target_job: str | None = Field(default=None, max_length=60, description="e.g. 数据分析师")


class MatchJobsText(MatchJobsInput):
    """A job seeker: a résumé as text and/or what they said about themselves."""

    resume_text: str | None = Field(default=None, max_length=MAX_RESUME_CHARS,
                                    description="The résumé's full text; its profile is the starting point.")


class CheckPostingInput(ToolInput):
    """A job posting's title and description."""

    title: str = Field(min_length=1, max_length=200, description="Job title, e.g. 电池系统工程师")
    description: str = Field(default="", max_length=20000, description="The posting's full text.")
    acknowledged: list[str] = Field(
        default_factory=list, description="Flagged kinds confirmed as necessary for the job (only age, appearance).")


def _state_with_resume(services: App, text: str | None) -> SessionState:
    if not text or not text.strip():
        return SessionState()
    document = services.resumes.read(text.encode("utf-8"), "resume.txt")
    return SessionState(resume=document.parsed, resume_fields=document.fields, resume_filename="resume.txt")


def review_resume_text(services: App, inp: ReviewResumeText, role: str) -> ReviewResumeOutput:
    """评审一份简历（以纯文本传入）：总分与各项得分、逐行修改建议（附改写示例，【…】处只能由本人填写）、与目标岗位高频
    技能的比对（已写出 / 埋在经历里 / 缺少）。target_job 为目标岗位名称，如“数据分析师”。"""
    state = _state_with_resume(services, inp.resume_text)
    if state.resume is None:
        raise InvalidInputError("简历内容为空。")
    ctx = services.chat.tool_context(state)
    return review_resume_tool(ctx, SessionReviewInput(target_job=inp.target_job))


def match_jobs_text(services: App, inp: MatchJobsText, role: str) -> MatchJobsOutput:
    """为求职者在重庆岗位库中匹配岗位（22 个维度打分并给出依据）。可传入简历全文 resume_text，也可只传用户自述的专业、
    学历、目标岗位、区县、技能、工作年限；两者都有时以自述补充简历。"""
    ctx = services.chat.tool_context(_state_with_resume(services, inp.resume_text))
    return match_jobs_tool(ctx, MatchJobsInput.model_validate(inp.model_dump(exclude={"resume_text"})))


def check_posting(services: App, inp: CheckPostingInput, role: str) -> PostingVerdict:
    """检查招聘启事中的歧视性或违法要求（性别、年龄、婚育、户籍、民族、宗教、病原携带、残疾、外貌身高）：每处给出原文、
    法律依据、严重程度（block 须改写，confirm 须确认为岗位必需）和中性改写；不保存任何内容。"""
    draft = PostingDraft(title=inp.title, description=inp.description)
    return services.market.check_draft(draft, inp.acknowledged)


def _chat_runner(name: str) -> Runner:
    tool = TOOLS[name]

    def run(services: App, inp: BaseModel, role: str) -> BaseModel:
        if isinstance(inp, TalentShortageInput) and role not in EMPLOYERS:
            inp = inp.model_copy(update={"top_k": min(inp.top_k, PUBLIC_SHORTAGE_TOP)})
        return tool.run(services.chat.tool_context(SessionState()), inp)

    return run


def _with_resume_text(name: str) -> tuple[type[BaseModel], Runner]:
    """The chat tool's input plus `resume_text`, and a runner that reads that text as the session's résumé."""
    tool = TOOLS[name]
    model = create_model(f"{tool.input_model.__name__}Text", __base__=tool.input_model,
                         resume_text=(str | None, Field(default=None, max_length=MAX_RESUME_CHARS,
                                                        description="The résumé's full text (optional).")))

    def run(services: App, inp: BaseModel, role: str) -> BaseModel:
        state = _state_with_resume(services, getattr(inp, "resume_text", None))
        plain = tool.input_model.model_validate(inp.model_dump(exclude={"resume_text"}))
        return tool.run(services.chat.tool_context(state), plain)

    return model, run


def _doc(function: Callable[..., Any]) -> str:
    return " ".join(line.strip() for line in (function.__doc__ or "").splitlines() if line.strip())


def mcp_tools() -> dict[str, McpTool]:
    """Every MCP tool by name, in the registry's order (session-bound chat tools replaced by their text forms)."""
    replaced: dict[str, McpTool] = {
        "match_jobs": McpTool("match_jobs", _doc(match_jobs_text), MatchJobsText, MatchJobsOutput, EVERYONE,
                              match_jobs_text),
        "review_resume": McpTool("review_resume", _doc(review_resume_text), ReviewResumeText, ReviewResumeOutput,
                                 EVERYONE, review_resume_text),
    }
    tools: dict[str, McpTool] = {}
    for name, chat_tool in TOOLS.items():
        description, input_model, runner = chat_tool.description, chat_tool.input_model, _chat_runner(name)
        if name == "talent_shortage":
            description += f"（访客与人才最多返回前 {PUBLIC_SHORTAGE_TOP} 项，与人才洞察公开摘要一致。）"
        if name in READS_RESUME:
            description += RESUME_NOTE
            input_model, runner = _with_resume_text(name)
        tools[name] = replaced.get(name) or McpTool(
            name, description, input_model, chat_tool.output_model, RESTRICTED.get(name, EVERYONE), runner)
    tools["check_posting"] = McpTool("check_posting", _doc(check_posting), CheckPostingInput, PostingVerdict,
                                     EMPLOYERS, check_posting)
    return tools


def refusal(tool: McpTool, role: str) -> str:
    """Why `role` may not call `tool`, in the words of the web API's 403."""
    names = "、".join(ROLE_NAMES[r] for r in ROLES if r in tool.roles)
    return f"此工具仅对{names}开放（当前身份：{ROLE_NAMES.get(role, role)}）。"
