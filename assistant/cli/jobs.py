"""`assistant jobs …`: build the job/talent library, match both ways, check postings for discrimination."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.app import App
from assistant.cli.common import services
from assistant.errors import InvalidInputError
from assistant.jobs.dimensions import DIMENSIONS
from assistant.jobs.fairness import MAX_POSTING_CHARS
from assistant.jobs.loading import load_job_ads
from assistant.jobs.models import TalentProfile
from assistant.jobs.resume_profile import profile_from_resume
from assistant.jobs.service import JobMatchRequest, check_job_posting, read_posting, read_profile

app = typer.Typer(
    help="岗位与人才库：建库、双向匹配（22 个维度，逐项说明依据）、招聘启事合规检查。", no_args_is_help=True
)
console = Console()
err_console = Console(stderr=True)
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON，便于程序读取。")]


@app.command()
def build(
    postings: Annotated[int, typer.Option(min=1, help="生成的岗位数。")] = 30000,
    talents: Annotated[int, typer.Option(min=1, help="生成的人才数。")] = 30000,
    seed: Annotated[int, typer.Option(help="随机种子：同一种子生成完全相同的库。")] = 2024,
    ads: Annotated[
        Path | None, typer.Option("--ads", help="另把该目录中的真实招聘 CSV（boss/lagou/liepin 格式）读入库中。")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """生成重庆岗位与人才库（确定性、可复现），写入数据目录 ASSISTANT_DATA_DIR/jobs。"""
    jobs = services().jobs
    real = load_job_ads(ads).postings if ads else []
    with Progress(TextColumn("生成岗位与人才库"), BarColumn(), TimeElapsedColumn(), console=err_console,
                  transient=True, disable=as_json or not err_console.is_terminal) as progress:
        task = progress.add_task("build", total=4)
        result = jobs.build(postings, talents, seed, extra_postings=real,
                            progress=lambda _stage, done, total: progress.update(task, completed=done, total=total))
    if as_json:
        print(result.model_dump_json())
        return
    console.print(f"已生成 {result.postings} 个岗位、{result.talents} 位人才（种子 {seed}），"
                  f"用时 {result.seconds:.1f} 秒，写入 {escape(result.directory)}")


@app.command("match")
def match_command(
    job: Annotated[str | None, typer.Option("--job", help="岗位编号：为该岗位推荐人才。")] = None,
    talent: Annotated[str | None, typer.Option("--talent", help="人才编号：为该人才推荐岗位。")] = None,
    profile: Annotated[Path | None, typer.Option("--profile", help="人才档案 JSON 文件：为其推荐岗位。")] = None,
    posting: Annotated[Path | None, typer.Option("--posting", help="岗位 JSON 文件：为其推荐人才。")] = None,
    resume: Annotated[
        Path | None, typer.Option("--resume", help="简历文件（PDF/DOCX/TXT/MD）：解析后为其推荐岗位。")
    ] = None,
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=1000, help="返回条数。")] = 10,
    include_filtered: Annotated[bool, typer.Option("--include-filtered", help="也列出未通过硬性条件的结果。")] = False,
    as_json: JsonOption = False,
) -> None:
    """双向匹配：--job/--posting 找人才，--talent/--profile/--resume 找岗位；每条结果附 22 个维度的得分与依据。"""
    options = (
        ("--job", job), ("--talent", talent), ("--profile", profile), ("--posting", posting), ("--resume", resume)
    )
    if sum(value is not None for _, value in options) != 1:
        raise InvalidInputError("请恰好指定 --job、--talent、--profile、--posting、--resume 之一")
    app = services()
    if job or posting:
        request = JobMatchRequest(direction="talents_for_job", job_id=job, top_k=top_k,
                                  include_filtered=include_filtered,
                                  job=read_posting(posting) if posting else None)
    else:
        request = JobMatchRequest(direction="jobs_for_talent", talent_id=talent, top_k=top_k,
                                  include_filtered=include_filtered,
                                  talent=read_profile(profile) if profile else _resume_profile(app, resume))
    response = app.jobs.match(request)
    if as_json:
        print(json.dumps([r.model_dump(exclude_none=True) for r in response.results], ensure_ascii=False))
        return
    console.print(f"在 {response.library_size} 条记录中为 {escape(response.query_id)} 排序，"
                  f"用时 {response.seconds * 1000:.1f} 毫秒。")
    if not response.results:
        console.print("没有满足硬性条件的结果（可加 --include-filtered 查看全部）。")
    for rank, result in enumerate(response.results, 1):
        head = result.title or result.name
        flag = "" if result.passed_hard_filters else f" [red]未通过：{', '.join(result.failed_filters)}[/red]"
        console.print(f"[bold]{rank}. {escape(str(head))}[/bold] [dim]{result.id}[/dim]  综合 {result.score:.3f}{flag}")
        for dim in sorted(result.dimensions, key=lambda d: -d.weight * (1 - d.score))[:4]:
            shown = "档案中没有此项信息" if dim.status == "missing" else dim.evidence
            console.print(f"   {dim.label} {dim.score:.2f}（权重 {dim.weight:g}）：{escape(shown)}", highlight=False)


@app.command()
def post(
    file: Annotated[Path, typer.Argument(help="岗位 JSON 文件（JobPosting 字段）。")],
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=1000, help="推送的人才数。")] = 10,
    as_json: JsonOption = False,
) -> None:
    """发布岗位：检查招聘要求是否合规，并立即推送最匹配的人才。"""
    review = services().jobs.review_posting(read_posting(file), top_k)
    if as_json:
        print(review.model_dump_json(exclude_none=True))
        return
    for issue in review.check.issues:
        console.print(f"[red]合规提示[/red]「{escape(issue.text)}」：{escape(issue.rule)}；建议：{escape(issue.suggestion)}",
                      highlight=False)
    if not review.check.issues:
        console.print("招聘要求未发现歧视性内容。")
    console.print(f"推送 {len(review.talents.results)} 位人才（共 {review.talents.library_size} 位，用时 "
                  f"{review.talents.seconds * 1000:.1f} 毫秒）：")
    for rank, result in enumerate(review.talents.results, 1):
        console.print(f"{rank}. {escape(str(result.name))} [dim]{result.id}[/dim]  综合 {result.score:.3f}")


@app.command("check-posting")
def check_posting_command(
    file: Annotated[Path, typer.Argument(help="招聘启事文本文件（UTF-8）；“-” 表示从标准输入读取。")],
    as_json: JsonOption = False,
) -> None:
    """检查招聘启事中的歧视性或违法要求（性别、年龄、婚育、户籍、民族、宗教、乙肝等），给出法律依据与中性表述。"""
    text = sys.stdin.read(MAX_POSTING_CHARS + 1) if str(file) == "-" else _read_text(file)
    result = check_job_posting(text)
    if as_json:
        print(json.dumps({"issues": [i.model_dump(include={"kind", "text", "rule", "suggestion", "start"})
                                     for i in result.issues]}, ensure_ascii=False))
        return
    if not result.issues:
        console.print("未发现歧视性要求。")
        return
    for issue in result.issues:
        console.print(f"[red]{escape(issue.kind)}[/red]「{escape(issue.text)}」（{escape(issue.clause)}）")
        console.print(f"   依据：{escape(issue.rule)}\n   建议：{escape(issue.suggestion)}", highlight=False)
    console.print(f"[dim]{escape(result.liability)}[/dim]")


@app.command("load-ads")
def load_ads(
    folder: Annotated[Path, typer.Argument(help="招聘数据 CSV 目录（boss/lagou/liepin 导出格式）。")],
    as_json: JsonOption = False,
) -> None:
    """读取真实招聘数据 CSV，报告读入条数与跳过的行（列缺失或错位）。"""
    result = load_job_ads(folder)
    summary = {"postings": len(result.postings), "skipped": len(result.skipped), "realigned": result.realigned,
               "skipped_by_reason": result.skipped_by_reason()}
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    console.print(f"读入 {summary['postings']} 条，跳过 {summary['skipped']} 条（{summary['skipped_by_reason']}），"
                  f"纠正列序 {summary['realigned']} 条。")


@app.command()
def dimensions(as_json: JsonOption = False) -> None:
    """列出 22 个匹配维度及其权重与硬性条件。"""
    weights = services().jobs.weights()
    rows = [{"name": d.name, "label": d.label, "compares": d.compares, **weights.dimensions[d.name].model_dump()}
            for d in DIMENSIONS]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        hard = "（硬性）" if row["hard"] else ""
        console.print(f"{row['label']}{hard} 权重 {row['weight']:g} — {escape(row['compares'])}")


def _resume_profile(app: App, path: Path | None) -> TalentProfile | None:
    """The profile of a résumé file, read as the résumé page reads it (fields as of the configured date)."""
    if path is None:
        return None
    document = app.resumes.read_file(path)
    return profile_from_resume(document.parsed, document.fields, profile_id=path.stem or "resume")


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_POSTING_CHARS * 4:
            raise InvalidInputError(f"文件过大：{path}（岗位描述上限 {MAX_POSTING_CHARS} 字）")
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"文件不是 UTF-8 文本：{path}") from exc


# Top-level spellings named in the matching issue: `assistant match jobs|talents`, `assistant library build`,
# `assistant check-posting`; they call the same commands as `assistant jobs …`.
match_app = typer.Typer(help="双向匹配：为人才推荐岗位（jobs），为岗位推荐人才（talents）。", no_args_is_help=True)
library_app = typer.Typer(help="岗位与人才库。", no_args_is_help=True)


@match_app.command("jobs")
def match_jobs(
    profile: Annotated[Path | None, typer.Option("--profile", help="人才档案 JSON 文件。")] = None,
    resume: Annotated[Path | None, typer.Option("--resume", help="简历文件（PDF/DOCX/TXT/MD）。")] = None,
    talent: Annotated[str | None, typer.Option("--talent", help="库中的人才编号。")] = None,
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=1000, help="返回条数。")] = 10,
    include_filtered: Annotated[bool, typer.Option("--include-filtered", help="也列出未通过硬性条件的结果。")] = False,
    as_json: JsonOption = False,
) -> None:
    """为一位人才（档案、简历或库中编号）推荐岗位，附 22 个维度的得分与依据。"""
    match_command(None, talent, profile, None, resume, top_k, include_filtered, as_json)


@match_app.command("talents")
def match_talents(
    job: Annotated[Path | None, typer.Option("--job", help="岗位 JSON 文件。")] = None,
    job_id: Annotated[str | None, typer.Option("--job-id", help="库中的岗位编号。")] = None,
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=1000, help="返回条数。")] = 10,
    include_filtered: Annotated[bool, typer.Option("--include-filtered", help="也列出未通过硬性条件的结果。")] = False,
    as_json: JsonOption = False,
) -> None:
    """为一个岗位（JSON 文件或库中编号）推荐人才，附 22 个维度的得分与依据。"""
    match_command(job_id, None, None, job, None, top_k, include_filtered, as_json)


library_app.command("build")(build)
