"""`assistant eligibility …`: which policies and project calls a person may apply for, and the conditions sidecars."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from assistant.cli.common import services
from assistant.eligibility.models import EligibilityReport, PersonFacts
from assistant.errors import InvalidInputError

app = typer.Typer(help="政策条件核对：按简历或自述逐条核对每份政策、申报通知的条件（符合 / 可能符合 / 不符合）。")
console = Console()
_MARK = {"met": "[green]✓[/green]", "not_met": "[red]✗[/red]", "unknown": "[yellow]？[/yellow]"}


@app.callback(invoke_without_command=True)
def check(
    ctx: typer.Context,
    resume: Annotated[Path | None, typer.Option("--resume", help="简历文件（PDF、DOCX、TXT、Markdown）。")] = None,
    facts: Annotated[str | None, typer.Option(
        "--facts",
        help="自述情况，如：我是35岁的博士，在渝北区一家企业工作3年。与 --resume 同用时以自述为准。")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="也列出不符合的文件。")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出完整的核对结果 JSON（EligibilityReport）。")] = False,
) -> None:
    """逐条核对：每份文件的判断、每个条件的依据原文、可享受金额、需准备的材料和需要回答的问题。"""
    if ctx.invoked_subcommand is not None:
        return
    if resume is None and not (facts or "").strip():
        raise InvalidInputError("请用 --resume 指定简历文件，或用 --facts 写明自己的情况。")
    app_ = services()
    person = PersonFacts()
    if resume is not None:
        person = app_.eligibility.facts_from_resume(app_.resumes.read_file(resume))
    if facts and facts.strip():
        person = person.merged(app_.eligibility.facts_from_text(facts))
    report = app_.eligibility.evaluate(person)
    if as_json:
        print(report.model_dump_json())
        return
    _print(report, show_all)


def _print(report: EligibilityReport, show_all: bool) -> None:
    known = "，".join(f"{name}={fact.value}（{fact.source}）" for name, fact in report.facts.known().items())
    console.print(f"[bold]已知情况[/bold]：{escape(known) or '无'}（日期 {report.today}）")
    console.print(f"符合 {report.counts['符合']} 份，可能符合 {report.counts['可能符合']} 份，"
                  f"不符合 {report.counts['不符合']} 份。")
    for verdict in report.verdicts:
        if verdict.verdict == "不符合" and not show_all:
            continue
        console.print(f"\n[bold]{escape(verdict.title)}[/bold]（{verdict.doc_id}）：{verdict.verdict}。"
                      f"{escape(verdict.summary)}")
        cited = {c.passage: c.n for c in verdict.citations}
        track = next((t for t in verdict.tracks if t.track == verdict.best_track), None)
        for result in [*verdict.gates, *(track.results if track else [])]:
            console.print(f"  {_MARK[result.status]} {escape(result.reason)} [{cited.get(result.condition.passage)}]")
        if verdict.amounts:
            console.print("  可享受：" + escape("；".join(verdict.amounts)))
        if verdict.deadline:
            console.print(f"  截止：{verdict.deadline}{'（不足14天）' if verdict.deadline_soon else ''}")
        for question in verdict.questions[:3]:
            console.print(f"  问：{escape(question)}")
        for c in verdict.citations:
            console.print(f"  [dim][{c.n}] {escape(c.passage[:120])}[/dim]")


@app.command("extract")
def extract(
    only: Annotated[list[str] | None, typer.Argument(help="只处理这些文件（相对语料目录的路径）；默认全部。")] = None,
) -> None:
    """从文件原文抽取条件，写入每份政策、申报通知旁的 *.conditions.yaml（工作人员已审核的不会被覆盖）。"""
    report = services().eligibility.sync(list(only) if only else None)
    console.print(f"写入 {len(report.written)} 个，未变 {report.unchanged} 个，"
                  f"已审核保留 {len(report.kept_reviewed)} 个。")
    for name in report.written:
        console.print(f"  写入：{escape(name)}")
    for failure in report.failed:
        print(f"无法读取：{failure}", file=sys.stderr)
