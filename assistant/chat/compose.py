"""Chinese replies composed from the tools' structured results; nothing is stated that a result does not hold."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from assistant.tools.job_matching import MatchJobsOutput, MatchTalentsOutput
from assistant.tools.models import JobBrief, TalentBrief
from assistant.tools.policy_search import SearchPoliciesOutput
from assistant.tools.resume_review import ReviewResumeOutput
from assistant.tools.shortage import TalentShortageOutput
from assistant.tools.skill_analysis import AnalyzeSkillsOutput

GREETING = ("你好！我是人才 AI 管家，可以回答重庆人才政策（补贴、申报、落户等）、为你匹配岗位或为企业推荐人才、"
            "分析目标岗位的高频技能、评审你上传的简历，以及查看紧缺人才情况。请直接告诉我你的问题。")
THANKS = "不客气！还有其他问题随时问我。"
HELP = ("我可以帮你：\n1. 查询重庆人才政策、活动通知和项目申报（回答附出处编号）；\n"
        "2. 按你的简历或自述的专业、学历、目标岗位匹配岗位；\n"
        "3. 为企业描述的岗位推荐人才；\n4. 分析某个岗位的高频技能；\n5. 评审你上传的简历并逐行给出修改建议；\n"
        "6. 查看重庆紧缺的岗位与技能。\n例如：“我是机械专业硕士，想做新能源汽车电池研发，有什么岗位和政策？”")
OUT_OF_SCOPE = ("抱歉，这个问题超出了我的服务范围。"
                "我只能回答重庆人才政策、岗位匹配、技能分析、简历优化和紧缺人才方面的问题。")
_COMPONENTS = {"completeness": "完整性", "quantification": "量化成果", "wording": "措辞", "dates": "时间",
               "privacy": "隐私", "skills": "技能"}
_WEIGHTS = {"completeness": 25, "quantification": 25, "wording": 20, "dates": 10, "privacy": 10, "skills": 10}
_SEVERITY = {"high": "高", "medium": "中", "low": "低"}
_HEADINGS = {"search_policies": "政策解答", "match_jobs": "岗位推荐", "match_talents": "人才推荐",
             "analyze_skills": "技能分析", "review_resume": "简历评审", "talent_shortage": "紧缺人才",
             "check_eligibility": "政策条件核对"}
_CHUNK_RE = re.compile(r"[^。！？；\n]*[。！？；\n]+|[^。！？；\n]+$")
MAX_SUGGESTIONS = 6


def heading(tool: str) -> str:
    """The section title of a tool's part of a combined reply."""
    return f"【{_HEADINGS.get(tool, tool)}】"


def policy_text(out: SearchPoliciesOutput) -> str:
    """The cited answer, kept with its [n] markers, and the titles of the cited documents."""
    if not out.citations:
        return out.answer
    sources = "；".join(f"[{c.n}]《{c.title}》" for c in out.citations)
    return f"{out.answer}\n出处：{sources}"


def _percent(score: float) -> str:
    return f"{round(score * 100)}%"


def jobs_text(out: MatchJobsOutput) -> str:
    """The ranked postings with their strongest and weakest dimensions."""
    p = out.profile
    facts = [x for x in (p.degree, p.major, f"目标：{p.target_role}" if p.target_role else "",
                         f"意向：{p.district}" if p.district else "", "、".join(p.skills[:5])) if x]
    basis = {"resume": "你的简历", "resume+message": "你的简历和补充信息"}.get(p.source, "你提供的信息")
    if not out.jobs:
        return f"根据{basis}（{'，'.join(facts)}），岗位库中没有满足硬性条件（学历、经验、用工形式）的岗位。"
    lines = [f"根据{basis}{'（' + '，'.join(facts) + '）' if facts else ''}，在 {out.library_size} 个岗位中最匹配的 "
             f"{len(out.jobs)} 个："]
    lines += [_job_line(job) for job in out.jobs]
    if out.note:
        lines.append(out.note)
    lines.append("可以继续问“第二个岗位的薪资是多少？”，或说“换成渝北区的”。")
    return "\n".join(lines)


def _job_line(job: JobBrief) -> str:
    head = (f"{job.rank}. {job.title}｜{job.company or '未署名企业'}｜{job.district or '地点未注明'}"
            f"｜{job.salary}｜匹配度 {_percent(job.score)}")
    parts = [head]
    if job.strengths:
        parts.append(f"   匹配点：{'；'.join(job.strengths[:2])}")
    if job.gaps:
        parts.append(f"   差距：{job.gaps[0]}")
    return "\n".join(parts)


def talents_text(out: MatchTalentsOutput) -> str:
    """The ranked talents (no contact data) with their strongest dimensions."""
    title = out.posting.get("title", "")
    if not out.talents:
        return f"人才库中没有满足“{title}”硬性条件的人才。"
    lines = [f"为“{title}”在 {out.library_size} 位人才中推荐最匹配的 {len(out.talents)} 位："]
    for t in out.talents:
        years = f"{t.years_experience:g} 年经验" if t.years_experience is not None else "经验未注明"
        lines.append(f"{t.rank}. {t.name}｜{t.current_title or '职位未注明'}｜{t.education or '学历未注明'}｜{years}｜"
                     f"{t.district or '地点未注明'}｜匹配度 {_percent(t.score)}")
        if t.strengths:
            lines.append(f"   匹配点：{'；'.join(t.strengths[:2])}")
    lines.append("联系人才请通过平台的面试邀约功能。")
    return "\n".join(lines)


def skills_text(out: AnalyzeSkillsOutput) -> str:
    """A table of the target job's high-frequency skills."""
    if not out.skills:
        return out.note or f"没有找到“{out.target_job}”的技能数据。"
    lines = [f"岗位库中与“{out.matched_title}”相近的 {out.postings} 份招聘启事里，"
             "高频技能如下（出现比例 / 列为要求的比例）："]
    for i, s in enumerate(out.skills, 1):
        lines.append(f"{i}. {s.name} —— {_percent(s.share)} / {_percent(s.required_share)}")
    if out.note:
        lines.append(out.note)
    return "\n".join(lines)


def review_text(out: ReviewResumeOutput) -> str:
    """Score, components, the most important suggestions with their line numbers, and skill coverage."""
    parts = "，".join(f"{_COMPONENTS.get(k, k)} {v}/{_WEIGHTS.get(k, 0)}" for k, v in out.components.items())
    lines = [f"简历《{out.filename}》得分 {out.score}/100（{parts}）。"]
    if out.warnings:
        lines.append("注意：" + "；".join(out.warnings))
    if out.suggestions:
        lines.append(f"共 {len(out.suggestions)} 条修改建议，最重要的几条：")
    for s in out.suggestions[:MAX_SUGGESTIONS]:
        where = "、".join(f"第 {n} 行" for n in s.lines[:3]) or "全文"
        line = f"- 【{_SEVERITY.get(s.severity, s.severity)}】{where}：{s.message}"
        if s.example:
            line += f" 示例：{s.example}"
        lines.append(line)
    if out.target_job and (out.present or out.buried or out.missing):
        lines.append(f"对照“{out.target_job}”的高频技能：已体现 {'、'.join(out.present) or '无'}；"
                     f"只写在经历里 {'、'.join(out.buried) or '无'}；"
                     f"缺少（确有再写）{'、'.join(out.missing[:8]) or '无'}。")
    if out.note:
        lines.append(out.note)
    return "\n".join(lines)


def shortage_text(out: TalentShortageOutput) -> str:
    """The shortage summary and its top rows, with the data date and method."""
    if out.summary:  # the insights module's own sentences already name the rows, the date and the formula
        return out.summary
    lines = [f"{i}. {_row_text(row)}" for i, row in enumerate(out.rows[:8], 1)]
    if lines and out.data_date:
        lines.append(f"（数据日期：{out.data_date}）")
    return "\n".join(lines) or "暂无紧缺人才数据。"


def _row_text(row: dict[str, Any]) -> str:
    name = next((str(row[k]) for k in ("name", "function", "skill", "title") if row.get(k)), "（未命名）")
    facts = []
    for key, label in (("shortage_index", "紧缺指数"), ("postings", "岗位数"), ("qualified_talents", "合格人才"),
                       ("salary_premium", "薪资溢价")):
        if row.get(key) is not None:
            value = row[key]
            facts.append(f"{label} {value:.2f}" if isinstance(value, float) else f"{label} {value}")
    return f"{name}：{'，'.join(facts)}" if facts else name


def error_text(tool: str, message: str, missing_input: bool = False) -> str:
    """A tool that could not run: its own Chinese message, which already says what to provide when input is missing."""
    return message if missing_input else f"{_HEADINGS.get(tool, tool)}暂时无法完成：{message}"


def job_detail_text(job: JobBrief | None, ordinal: int, count: int, question: str) -> str:
    """One listed job, answering the aspect the user asked about."""
    if job is None:
        return (f"上一次只列出了 {count} 个岗位，没有第 {ordinal} 个。" if count
                else "还没有为你匹配过岗位，先告诉我你的专业、学历或目标岗位吧。")
    name = f"第 {ordinal} 个岗位「{job.title}」（{job.company or '未署名企业'}，{job.district or '地点未注明'}）"
    if re.search(r"薪|工资|待遇|多少钱", question):
        return f"{name}的薪资是 {job.salary}。" if job.salary != "面议" else f"{name}的薪资为面议。"
    if re.search(r"学历", question):
        return f"{name}要求学历：{job.education_min or '不限'}。"
    if re.search(r"经验|年限", question):
        return f"{name}要求至少 {job.years_min:g} 年工作经验。" if job.years_min else f"{name}不要求工作经验。"
    if re.search(r"技能|要求", question):
        return f"{name}要求的技能：{'、'.join(job.skills_required) or '未列出'}。"
    if re.search(r"公司|单位", question):
        return f"{name}的招聘单位是 {job.company or '未署名企业'}。"
    if re.search(r"在哪|地点|区", question):
        return f"{name}的工作地点在 {job.district or '未注明'}。"
    facts = [f"薪资 {job.salary}", f"学历 {job.education_min or '不限'}", f"经验 {job.years_min:g} 年起",
             f"技能 {'、'.join(job.skills_required) or '未列出'}", f"匹配度 {_percent(job.score)}"]
    text = f"{name}：{'；'.join(facts)}。"
    if job.strengths:
        text += f"\n匹配点：{'；'.join(job.strengths)}"
    if job.gaps:
        text += f"\n差距：{'；'.join(job.gaps)}"
    return text


def talent_detail_text(talent: TalentBrief | None, ordinal: int, count: int) -> str:
    """One listed talent (no contact data)."""
    if talent is None:
        return (f"上一次只推荐了 {count} 位人才，没有第 {ordinal} 位。" if count
                else "还没有推荐过人才，先描述一下要招的岗位吧。")
    years = f"{talent.years_experience:g} 年" if talent.years_experience is not None else "未注明"
    text = (f"第 {ordinal} 位「{talent.name}」：{talent.current_title or '职位未注明'}，"
            f"学历 {talent.education or '未注明'}，"
            f"工作经验 {years}，所在 {talent.district or '未注明'}，技能 {'、'.join(talent.skills) or '未列出'}，"
            f"匹配度 {_percent(talent.score)}。")
    if talent.strengths:
        text += f"\n匹配点：{'；'.join(talent.strengths)}"
    return text


def upload_text(filename: str, lines: int, degree: str | None, skills: list[str], warnings: list[str]) -> str:
    """What the chat says when a résumé arrives."""
    facts = [f"共 {lines} 行"]
    if degree:
        facts.append(f"最高学历 {degree}")
    if skills:
        facts.append(f"技能 {'、'.join(skills[:6])}")
    text = f"已收到简历《{filename}》（{'，'.join(facts)}）。可以说“帮我看看简历”或“有什么适合我的岗位？”。"
    if warnings:
        text += "\n注意：" + "；".join(warnings)
    return text


def chunks(text: str) -> Iterator[str]:
    """Sentence-sized pieces of a reply, in order; joined they give the text back exactly."""
    for match in _CHUNK_RE.finditer(text):
        if match.group(0):
            yield match.group(0)
