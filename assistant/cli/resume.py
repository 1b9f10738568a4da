"""`assistant resume …` commands: parse, review, entities."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from assistant.cli.common import services
from assistant.errors import DocumentLoadError
from assistant.resume.entities import tag_entities
from assistant.skills.analysis import split_postings

app = typer.Typer(help="简历解析与优化建议（PDF/DOCX/TXT/Markdown）。", no_args_is_help=True)
console = Console()

FileArgument = Annotated[Path, typer.Argument(help="简历文件：PDF、DOCX、TXT 或 Markdown。")]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON，便于程序读取。")]
_SEVERITY = {"high": "[red]高[/red]", "medium": "[yellow]中[/yellow]", "low": "[dim]低[/dim]"}


@app.command()
def parse(file: FileArgument, as_json: JsonOption = False) -> None:
    """解析简历：带行号的文本、分节与抽取的字段。"""
    document = services().resumes.read_file(file)
    resume, sections, fields = document.parsed, document.sections, document.fields
    if as_json:
        print(json.dumps({
            "format": resume.format, "warnings": resume.warnings,
            "lines": [line.model_dump() for line in resume.lines],
            "sections": [s.model_dump() for s in sections], "fields": fields.model_dump(),
        }, ensure_ascii=False))
        return
    for warning in resume.warnings:
        console.print(f"[yellow]注意：[/yellow]{escape(warning)}")
    for section in sections:
        console.print(f"[bold]{escape(section.title)}[/bold] [dim]第 {section.start_line}–{section.end_line} 行[/dim]")
    console.print(f"\n姓名：{fields.name or '未识别'}  电话：{'、'.join(fields.phones) or '无'}  "
                  f"邮箱：{'、'.join(fields.emails) or '无'}")
    for edu in fields.education:
        console.print(f"教育（第 {edu.line} 行）：{edu.dates.text if edu.dates else ''} {edu.school or ''} "
                      f"{edu.major or ''} {edu.degree or ''}", highlight=False)
    for job in fields.work:
        kind = "实习" if job.internship else "工作"
        console.print(f"{kind}（第 {job.line} 行）：{job.dates.text if job.dates else '无日期'} "
                      f"{job.organization or ''} {job.title or ''}", highlight=False)
    console.print(f"工作年限：{fields.total_years} 年  最高学历：{fields.highest_degree or '未识别'}")
    console.print(f"证书：{'、'.join(fields.certificates) or '无'}  语言：{'、'.join(fields.languages) or '无'}")
    console.print(f"技能：{'、'.join(item.name for item in fields.skills) or '无'}")
    for note in fields.notes:
        console.print(f"[dim]{escape(note)}[/dim]")


@app.command()
def review(
    file: FileArgument,
    target: Annotated[str | None, typer.Option("--target", help="目标岗位名称，如：数据分析师。")] = None,
    postings: Annotated[
        Path | None, typer.Option("--postings", help="目标岗位描述文件：多份之间空一行或用 --- 分隔，也可为 JSONL。")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """给简历打分并逐行给出修改建议（只基于简历已有内容，不编造经历）。"""
    resumes = services().resumes
    document = resumes.read_file(file)
    resume = document.parsed
    texts: list[str] = []
    if postings is not None:
        try:
            texts = split_postings(postings.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise DocumentLoadError(f"无法读取岗位描述文件 {postings.name}：{exc}") from exc
    result, wanted = resumes.review(document, target, texts)
    if as_json:
        payload = result.model_dump(
            include={"score", "components", "sections", "fields", "suggestions", "skills", "warnings"}
        )
        print(json.dumps(payload, ensure_ascii=False))
        return
    parts = "，".join(f"{name} {value}" for name, value in result.components.items())
    console.print(f"[bold]简历得分：{result.score}/100[/bold]  [dim]（{parts}）[/dim]")
    for warning in result.warnings:
        console.print(f"[yellow]注意：[/yellow]{escape(warning)}")
    lines = {line.number: line.text for line in resume.lines}
    for suggestion in result.suggestions:
        where = "、".join(f"第 {n} 行" for n in suggestion.lines[:4]) or "全文"
        console.print(f"\n{_SEVERITY[suggestion.severity]} [bold]{where}[/bold] {escape(suggestion.message)}")
        if suggestion.lines and suggestion.category not in {"sensitive_data"}:
            console.print(f"  [dim]原文：{escape(lines.get(suggestion.lines[0], ''))}[/dim]", highlight=False)
        if suggestion.example:
            console.print(f"  [green]示例：[/green]{escape(suggestion.example)}", highlight=False)
    if wanted.skills:
        console.print(f"\n[bold]目标技能[/bold] 已体现：{'、'.join(result.skills.present) or '无'}；"
                      f"埋在经历中：{'、'.join(result.skills.buried) or '无'}；"
                      f"缺少（确有再写）：{'、'.join(result.skills.missing) or '无'}")
    if result.skills.note:
        console.print(f"[dim]{escape(result.skills.note)}[/dim]")


@app.command()
def entities(as_json: JsonOption = False) -> None:
    """从标准输入逐行读取简历文字，标注 NAME/CONT/RACE/TITLE/EDU/ORG/PRO/LOC 实体（字符偏移）。"""
    for raw in sys.stdin:
        found = tag_entities(raw.rstrip("\r\n"))
        if as_json:
            print(json.dumps([{"type": e.type, "start": e.start, "end": e.end, "text": e.text} for e in found],
                             ensure_ascii=False), flush=True)
        else:
            print("  ".join(f"{e.text}/{e.type}" for e in found), flush=True)
