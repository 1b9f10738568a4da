"""The offline router: which tools a message needs, from rules, the catalogue, the skill lexicon and the session."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from assistant.chat.mentions import Mentions, mentions
from assistant.policy.followup import is_audience, is_elliptical
from assistant.tools.models import SessionState, ToolCall
from assistant.vocab.catalogue import load_catalogue
from assistant.vocab.education import audience_name
from assistant.vocab.entities import degree_name, find_district, resolve_role

Intent = Literal["tools", "job_detail", "talent_detail", "chitchat", "help", "out_of_scope", "clarify"]
ASK_POSTING_TITLE = "请告诉我要招聘的岗位名称，例如：我们想招一名电池系统工程师，要求本科、3年经验。"

_POLICY = re.compile(
    r"政策|补贴|补助|奖励|奖补|资助|资金|申报|申请|落户|户口|安家|人才认定|认定|待遇|博士后|英才|计划|项目|通知|活动|报名|截止"
    r"|留渝|租房|购房|住房|个税|津贴|创业|贷款|社保|公积金|公租房|人才公寓|引才|引进|福利|资格|评选|条件|规定|办法|文件|名额"
    r"|绿卡|人才卡|子女入学|配偶|招聘会|双选会|见面会|导师|职称|额度|标准|多少钱|能领|怎么领|领取|享受|补多少|财政|行动"
    r"|policy|policies|subsid|grant|allowance|housing|postdoc|settle|hukou|apply|application|deadline|funding|bonus",
    re.IGNORECASE)
_JOBS = re.compile(
    r"(?:什么|哪些|推荐|适合|有没有|找|匹配|合适|几个)[^，,。；;？?]{0,12}(?:岗位|职位)(?!待遇|津贴|补贴|工资标准|设置|聘任|管理)"
    r"|(?:岗位|职位)(?:推荐|机会|吗|呢|有哪些)"
    r"|工作机会|找工作|求职|适合我的工作|什么工作|哪些工作|工作推荐|(?:推荐|适合)[^，,。；;？?]{0,14}工作|就业机会|招聘信息|机会|offer"
    r"|能做什么工作|能干什么|去哪(?:里|儿)?工作|哪些公司|哪家公司|有什么工作|找份工作|找个工作|(?<![没未])找.{0,10}工作"
    r"|\bjobs?\b|positions?|openings?|vacanc",
    re.IGNORECASE)
_TALENTS = re.compile(
    r"招(?:一|几|个|名|位|些|两|三|五|十|人|聘一|聘几|聘两)|招聘.{0,20}(?:工程师|人员|人才|员工|经理|师)"
    r"|候选人|人选|合适的人|找人|物色"
    r"|推荐.{0,4}(?:人才|候选人|人选)|(?:急需|急招|需要|缺)[^，,。]{0,3}(?:几|一|两|\d+)(?:名|个|位)"
    r"|有没有.{0,12}(?:人才|的人)|缺.{0,4}(?:工程师|员工)|需要.{0,3}(?:名|个|位).{0,12}(?:工程师|人员|师)"
    r"|\bhire\b|\bhiring\b|candidates?|recruit",
    re.IGNORECASE)
_SKILLS = re.compile(
    # 技能 as in 技能人才/技能大师/职业技能等级/技能大赛 names a policy subject, not a question about skills
    r"技能(?!人才|大师|等级|大赛|竞赛|鉴定|培训|补贴|提升|工作室|岗位津贴)|技术栈|需要(?:会|掌握|学|具备|懂)|要(?:会|掌握|学)(?:什么|哪些)"
    r"|(?<![入留上开])学(?:点)?什么|学哪些"
    r"|能力要求|任职要求|要求(?:什么|哪些)|掌握(?:什么|哪些)"
    r"|需要什么能力|要什么能力|必备|\bskills?\b",
    re.IGNORECASE)
_RESUME = re.compile(r"简历|履历|\bcv\b|\bresume\b|résumé", re.IGNORECASE)
_REVIEW = re.compile(
    r"看看|看一下|看下|改|修改|优化|评|打个?分|几分|适合|够不够|能不能投|竞争力|点评|建议|问题|怎么样|如何"
    r"|写得|诊断|完善|提升|润色|检查|分析|不足|review|improve|check",
    re.IGNORECASE)
_BY_RESUME = re.compile(
    r"(?:根据|按|按照|用|凭|结合|基于)(?:我的)?(?:这份)?简历"
    r"|简历[^，,。；;]{0,6}(?:推荐|匹配|适合)[^，,。；;]{0,6}(?:岗位|工作|职位)")
_SHORTAGE = re.compile(r"紧缺|短缺|稀缺|缺口|缺什么|缺哪些|最缺|缺人|供不应求|难招|招不到|shortage|in short supply",
                       re.IGNORECASE)
_SHORTAGE_POLICY = re.compile(r"政策|补贴|申报|奖励|认定|目录")
_ORDINAL = re.compile(r"第\s*([一二三四五六七八九十\d]{1,3})\s*(?:个|条|位|名)?")
_DETAIL_TOPIC = re.compile(
    r"薪|工资|待遇|公司|单位|在哪|地点|区县|学历|经验|年限|技能|要求|分数|得分|匹配|介绍|详细|怎么样|多少")
_REDISTRICT = re.compile(
    r"^(?:那|那么|如果|要是)?(?:换成|换到|改成|改为|换|看看|只看|那)?(.{0,8}?)(?:的|呢|吗|有吗|有没有|怎么样|\s|？|\?|。)*$")
_MORE = re.compile(r"^(?:还有|再|更多|多)(?:吗|别的|其他|推荐|来|给我)|还有别的|还有其他|再来|多推荐|再推荐|更多的")
_CHITCHAT = re.compile(
    r"^(?:你好|您好|嗨|哈喽|hello|hi|hey|早上好|晚上好|下午好|谢谢|多谢|感谢|谢啦|thank|thanks|好的|好|嗯|ok|okay|再见|拜拜|bye)"
    r"[\s!！。.~，,啊呀呢哦]*(?:你好|您好|谢谢|了|啦)?[\s!！。.~]*$", re.IGNORECASE)
_HELP = re.compile(r"你是谁|你能做什么|你会什么|能帮我做什么|怎么用|使用说明|有什么功能|你可以做什么"
                   r"|what can you do|who are you|help\b",
                   re.IGNORECASE)
_OUT_OF_SCOPE = re.compile(
    r"天气|笑话|写(?:一)?首诗|写诗|股票|彩票|比特币|基金涨|电影|游戏|菜谱|做菜|歌曲|唱歌|小说|星座|算命|足球|篮球|世界杯|翻译一下"
    r"|写代码|写个程序|作业|减肥|旅游攻略|火锅|恋爱|weather|joke|poem|stock|bitcoin|movie|recipe|football",
    re.IGNORECASE)
_QUESTION = re.compile(r"[？?]|吗|呢|怎么|如何|多少|哪些|哪个|什么|几|能不能|可不可以|可以|是否|有没有"
                       r"|how|what|which|when|where|can|is there|are there|do i|does",
                       re.IGNORECASE)
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_GENERIC_POLICY = re.compile(r"^(?:和|跟|与|及|还有|以及)?(?:相关)?(?:的)?(?:人才)?政策(?:和补贴)?$")


@dataclass
class Route:
    """What the router decided: tool calls in order, or an answer that needs no tool."""

    intent: Intent
    calls: list[ToolCall] = field(default_factory=list)
    ordinal: int | None = None  # for job_detail / talent_detail
    reply: str | None = None  # for clarify: what the user still has to say

    @property
    def tools(self) -> list[str]:
        """Names of the tools to call, in order."""
        return [call.tool for call in self.calls]


def route(message: str, state: SessionState) -> Route:
    """Pick the tools for `message` given what the session already holds (résumé, last results, last questions)."""
    text = message.strip()
    lowered = text.lower()
    detail = _detail(text, state)
    if detail is not None:
        return detail
    follow = _match_follow_up(text, state)
    if follow is not None:
        return follow
    eligibility = _eligibility(text, state)
    if eligibility is not None:
        return eligibility
    if _HELP.search(lowered) and len(text) <= 30:
        return Route("help")
    if _CHITCHAT.match(lowered):
        return Route("chitchat")
    said = mentions(text)
    wants = _intents(text, state, said)
    if not wants:
        if _OUT_OF_SCOPE.search(lowered):
            return Route("out_of_scope")
        if state.last_tools and "search_policies" in state.last_tools and is_elliptical(text):
            wants = ["search_policies"]
        elif _QUESTION.search(lowered) or len(text) >= 8:
            wants = ["search_policies"]  # the answerer declines when the corpus has nothing on it
        else:
            return Route("chitchat")
    calls = [_call(tool, text, state, said, len(wants) > 1) for tool in wants]
    if any(call.tool == "match_talents" and not call.input.get("title") for call in calls):
        return Route("clarify", reply=ASK_POSTING_TITLE)
    return Route("tools", calls)


def _intents(text: str, state: SessionState, said: Mentions) -> list[str]:
    """Tool names the message asks for, in the order the reply presents them."""
    lowered = text.lower()
    out: list[str] = []
    shortage = bool(_SHORTAGE.search(lowered)) and not _SHORTAGE_POLICY.search(text)
    talents = bool(_TALENTS.search(lowered)) and "招聘会" not in text and not _seeker(text)
    resume = bool(_RESUME.search(lowered))
    by_resume = bool(_BY_RESUME.search(text))
    review = resume and not by_resume and bool(_REVIEW.search(lowered))
    events = bool(re.search(r"招聘会|双选会|宣讲会|见面会", text))  # "招聘会有哪些岗位" asks about the event's notice
    jobs = (bool(_JOBS.search(lowered)) or by_resume) and not talents and not shortage and not events
    skills = bool(_SKILLS.search(lowered)) and not shortage and not review
    if skills and not jobs and not talents and said.role is None and not state.target_job and said.skills:
        skills = False  # "我会Python，能做什么" talks about oneself
    if talents:
        out.append("match_talents")
    if jobs:
        out.append("match_jobs")
    if skills:
        out.append("analyze_skills")
    if review:
        out.append("review_resume")
    if shortage:
        out.append("talent_shortage")
    policy = bool(_POLICY.search(lowered))
    if policy and out:
        # 岗位/技能 messages often say 要求/条件 without asking about policy: keep policy only when it is asked for.
        policy = bool(re.search(r"政策|补贴|补助|奖励|资助|落户|安家|申报|人才认定|福利待遇|policy|subsid", lowered))
    if policy and not talents:
        out.append("search_policies")
    if (not out and said.role and (said.degree is not None or said.major or said.skills) and _QUESTION.search(lowered)
            and re.search(r"我|本人|\bi\b|\bme\b|\bmy\b", lowered)):
        out.append("match_jobs")  # "我是计算机硕士，能做算法工程师吗？"
    return out


def _seeker(text: str) -> bool:
    """True when the speaker is looking for work (我想找…工作), not hiring."""
    return bool(re.search(r"(?:我|本人).{0,6}(?:想|要|在)?找.{0,12}(?:工作|岗位|职位)|求职|应聘", text))


def _call(tool: str, text: str, state: SessionState, said: Mentions, combined: bool) -> ToolCall:
    """The input of one tool, filled from the message (and the session where the message is silent)."""
    data: dict[str, Any] = {}
    if tool == "search_policies":
        data["question"] = _policy_question(text, said, combined)
    elif tool == "match_jobs":
        data = {k: v for k, v in {
            "target_role": said.role, "major": said.major, "degree": degree_name(said.degree) or None,
            "district": said.district, "skills": said.skills or None, "years_experience": said.years,
        }.items() if v}
    elif tool == "match_talents":
        title = said.role or (said.skills[0] + "工程师" if said.skills else None) or state.target_job
        data = {k: v for k, v in {
            "title": title, "district": said.district, "degree": degree_name(said.degree) or None,
            "major": said.major, "skills": said.skills or None, "years_min": said.years,
        }.items() if v}
    elif tool == "analyze_skills":
        target = said.role or state.target_job
        data = {k: v for k, v in {"target_job": target, "district": said.district}.items() if v}
    elif tool == "review_resume":
        if said.role:
            data["target_job"] = said.role
    elif tool == "talent_shortage":
        asked = {"chain": _chain(text), "district": said.district, "focus": _shortage_focus(text)}
        data = {k: v for k, v in asked.items() if v and v != "all"}
    return ToolCall(tool=tool, input=data)


def _shortage_focus(text: str) -> str:
    """Skills when only skills are asked about ("缺什么技能"), functions when only jobs are, else both."""
    skills = bool(re.search(r"技能|能力|技术栈|skill", text, re.IGNORECASE))
    jobs = bool(re.search(r"岗位|职位|工种|人才|job|position", text, re.IGNORECASE))
    return "skills" if skills and not jobs else "functions" if jobs and not skills else "all"


def _policy_question(text: str, said: Mentions, combined: bool) -> str:
    """The policy question of a message: the policy clauses (and who is asking) of a combined message, else all of it.

    Follow-ups ("那博士呢？") are left as asked: PolicyService rewrites them against the session's history, as it
    does for `POST /api/ask`.
    """
    question = text
    if combined:
        clauses = [c for c in re.split(r"[，,。；;！!]", text) if c.strip()]
        kept = [c for c in clauses if _POLICY.search(c.lower()) or is_audience(c)]
        if any(_POLICY.search(c.lower()) for c in kept) and len(kept) < len(clauses):
            question = "，".join(kept)
    core = re.sub(r"[？?。！!\s]|有什么|有哪些|有没有|什么|哪些|岗位|职位|工作", "", question)
    if _GENERIC_POLICY.match(core):  # "…有什么岗位和政策？": ask about the person's own situation
        who = audience_name(said.degree)
        role = resolve_role(said.role) if said.role else None
        where = f"从事{role.industry}" if role else "来重庆工作"
        question = f"{who}{where}有哪些人才政策和补贴？"
    return question


def _chain(text: str) -> str | None:
    """The industry chain (or industry) a shortage question names."""
    match = re.search(r"([\u4e00-\u9fff]{2,10}?)(?:产业链|产业|行业|领域)", text)
    for name in _chain_names():
        if name in text:
            return name
    if match:
        word = re.sub(r"^(?:重庆|我市|本市|全市)", "", match.group(1))
        return word or None
    return None


@cache
def _chain_names() -> list[str]:
    catalogue = load_catalogue()
    names = [chain for industry in catalogue.industries for chain in catalogue.industry(industry)["chains"]]
    return sorted({*names, *catalogue.industries}, key=len, reverse=True)


def _ordinal(value: str) -> int:
    if value.isdigit():
        return int(value)
    if value.startswith("十"):
        return 10 + _CN_DIGITS.get(value[1:], 0)
    if "十" in value:
        tens, _, ones = value.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS.get(value, 0)


def _detail(text: str, state: SessionState) -> Route | None:
    """"第二个岗位的薪资是多少？" about the last listed jobs or talents: answered from the session, no tool."""
    match = _ORDINAL.search(text)
    if not match:
        return None
    rest = text[match.end():]
    if not (state.last_jobs or state.last_talents):  # nothing listed yet: only an explicit "第二个岗位…" is ours
        if re.match(r"(?:个|条|位|名)?\s*(?:岗位|职位|工作)", rest):
            return Route("job_detail", ordinal=_ordinal(match.group(1)))
        return None
    if not (_DETAIL_TOPIC.search(rest) or re.match(r"(?:个|条|位|名)?\s*(?:岗位|职位|工作|人才|候选人|人)", rest)):
        return None
    about_people = bool(re.search(r"人才|候选人|人选|^\s*(?:位|名)", rest)) or (
        state.last_match_tool == "match_talents" and not re.search(r"岗位|职位|工作", rest))
    n = _ordinal(match.group(1))
    if about_people and state.last_talents:
        return Route("talent_detail", ordinal=n)
    if state.last_jobs:
        return Route("job_detail", ordinal=n)
    return None


_ELIGIBILITY = re.compile(
    r"(?:我|本人|自己)[^，。？?]{0,10}(?:能|可以|可|够|有资格|符合条件)[^，。？?]{0,4}(?:申请|申报|享受|领|拿|报)"
    r"[^，。？?]{0,10}(?:政策|补贴|补助|资助|项目|计划|奖励|待遇|人才认定|安家费)"
    r"|(?:我|本人)[^，。？?]{0,6}(?:符合|满足)[^，。？?]{0,10}(?:政策|条件|要求)|适合我的(?:人才)?(?:政策|补贴)"
    r"|(?:能|可以)(?:申请|申报|享受|领)(?:到)?(?:哪些|什么)(?:人才)?(?:政策|补贴|补助|资助|项目)"
    r"|哪些(?:人才)?(?:政策|补贴|项目)(?:我|适合我)|政策计算器|免申即享|(?:am i|i am) eligible|can i apply",
    re.IGNORECASE)
_SELF_FACT = re.compile(r"\d{2}\s*岁|周岁|出生|博士|硕士|本科|大专|职称|副高|正高|高级工程师|出站|在站|进站|合同|外籍"
                        r"|工作\s*\d|\d\s*年|[一二三四五六七八九十]年|区|县|如果我|要是我|假如我|我去|我在|我是")


def _eligibility(text: str, state: SessionState) -> Route | None:
    """"我能申请哪些政策？" (and, right after it, "那如果我去璧山呢？" / "我35岁") check the person's eligibility."""
    asked = bool(_ELIGIBILITY.search(text))
    following = bool(state.last_tools and "check_eligibility" in state.last_tools and len(text) <= 60
                     and _SELF_FACT.search(text) and not _JOBS.search(text.lower()))
    if not (asked or following):
        return None
    statement = text if (following or _SELF_FACT.search(text)) else None
    data: dict[str, Any] = {"statement": statement} if statement else {}
    return Route("tools", [ToolCall(tool="check_eligibility", input=data)])


def _match_follow_up(text: str, state: SessionState) -> Route | None:
    """"换成渝北区的" / "还有别的吗" re-run the last match with the change."""
    if not state.last_match or not state.last_match_tool:
        return None
    if state.last_tools and not set(state.last_tools) & {"match_jobs", "match_talents"}:
        return None  # the conversation has moved on to another topic since the last match
    data = dict(state.last_match)
    if _MORE.search(text) and len(text) <= 16:
        data["top_k"] = min(20, int(data.get("top_k", 5)) + 5)
        return Route("tools", [ToolCall(tool=state.last_match_tool, input=data)])
    district = find_district(text)
    short = len(text) <= 16 and _REDISTRICT.match(text.strip())
    if district and (short or re.search(r"换成|换到|改成|改为|只看", text)):
        data["district"] = district
        return Route("tools", [ToolCall(tool=state.last_match_tool, input=data)])
    role = re.match(r"^(?:那|那么)?(?:换成|改成|改为|换)(.{2,16}?)(?:的|呢|吧|岗位|职位|工作)*[？?。]?$", text.strip())
    if role and resolve_role(role.group(1)):
        key = "target_role" if state.last_match_tool == "match_jobs" else "title"
        data[key] = role.group(1)
        return Route("tools", [ToolCall(tool=state.last_match_tool, input=data)])
    return None
