"""The agent's tools as engines see them: an explicit table of typed tools and the one way to run a call."""

from __future__ import annotations

from pydantic import ValidationError

from assistant.errors import InvalidInputError
from assistant.tools.base import ChatTool, ToolContext
from assistant.tools.eligibility import CheckEligibilityInput, CheckEligibilityOutput, check_eligibility
from assistant.tools.job_matching import (
    MatchJobsInput,
    MatchJobsOutput,
    MatchTalentsInput,
    MatchTalentsOutput,
    match_jobs_tool,
    match_talents_tool,
)
from assistant.tools.models import ToolCall, ToolResult
from assistant.tools.policy_search import SearchPoliciesInput, SearchPoliciesOutput, search_policies
from assistant.tools.resume_review import ReviewResumeInput, ReviewResumeOutput, review_resume_tool
from assistant.tools.shortage import TalentShortageInput, TalentShortageOutput, talent_shortage
from assistant.tools.skill_analysis import AnalyzeSkillsInput, AnalyzeSkillsOutput, analyze_skills_tool

__all__ = ["TOOLS", "ChatTool", "ToolContext", "run_tool"]


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
    ChatTool(
        "check_eligibility",
        "逐条核对用户能申请哪些重庆人才政策、补贴和项目申报：用本会话上传的简历和用户自述的情况（学历、年龄、工作年限、"
        "区县、职称、博士后在站/出站等），给出每份文件 符合/可能符合/不符合、每个条件的依据段落 [n]、可享受的金额和"
        "需要补充回答的问题。用户问“我能申请哪些政策/补贴？”“我符合条件吗？”或补充自己的情况（“那如果我去璧山呢？”）时调用；"
        "statement 填用户本条消息中关于自己的描述。",
        CheckEligibilityInput, CheckEligibilityOutput, check_eligibility),
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
