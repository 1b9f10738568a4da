"""`assistant chat`: an interactive terminal conversation with the chat agent (offline unless an LLM is configured)."""

from __future__ import annotations

import getpass
import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from assistant.chat.service import ChatService
from assistant.cli.common import services
from assistant.errors import AssistantError, DocumentLoadError
from assistant.labels import AI_LABEL

console = Console(highlight=False)
HELP = "输入问题直接对话；/upload 文件 上传简历，/reset 开始新对话，/json 切换 JSON 输出，/quit 退出。"


def chat(
    session: Annotated[str | None, typer.Option("--session", help="继续之前的会话（会话编号）。")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="每轮回复输出为 JSON（也可在对话中用 /json 切换）。")] = False,
) -> None:
    """与人才 AI 管家对话：政策问答、岗位匹配、技能分析、简历评审、紧缺人才；/upload 文件、/reset、/json、/quit。"""
    app = services()
    if app.policy.store.current() is None:
        console.print("[dim]首次使用，正在建立政策检索索引（BM25）…[/dim]")
        app.policy.ingest(build_vectors=False)
    service = app.chat
    owner = f"cli:{getpass.getuser()}"
    if session:
        service.history(session, owner)  # an unknown or expired session is an error up front
    engine = "大模型" if service.llm is not None else "离线"
    console.print(f"[bold]人才 AI 管家[/bold]（{engine}模式）。{HELP}")
    while True:
        try:
            line = console.input("\n[bold cyan]你：[/bold cyan]").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        if not line:
            continue
        if line in {"/quit", "/exit", "/q"}:
            break
        if line == "/reset":
            session = None
            console.print("[dim]已开始新对话。[/dim]")
        elif line == "/json":
            as_json = not as_json
            console.print(f"[dim]JSON 输出已{'打开' if as_json else '关闭'}。[/dim]")
        elif line == "/help":
            console.print(HELP)
        elif line.startswith("/upload"):
            session = _upload(service, session, owner, line)
        elif line.startswith("/"):
            console.print(f"[yellow]未知命令 {escape(line.split()[0])}。[/yellow]{HELP}")
        else:
            session = _turn(service, session, owner, line, as_json)


def _upload(service: ChatService, session: str | None, owner: str, line: str) -> str | None:
    try:
        parts = shlex.split(line)
    except ValueError:
        parts = line.split()
    if len(parts) < 2:
        console.print("[yellow]用法：/upload 简历文件路径[/yellow]")
        return session
    path = Path(parts[1]).expanduser()
    try:
        size = path.stat().st_size
        if size > service.settings.resume_max_bytes:
            raise DocumentLoadError(f"简历文件太大，上限为 {service.settings.resume_max_bytes / 1024 / 1024:.0f} MB。")
        data = path.read_bytes()
        session, summary = service.upload_resume(session, owner, data, path.name)
    except OSError as exc:
        console.print(f"[red]无法读取 {escape(str(path))}：{escape(exc.strerror or str(exc))}[/red]")
        return session
    except AssistantError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        return session
    console.print(f"[green]{escape(summary)}[/green]")
    return session


def _turn(service: ChatService, session: str | None, owner: str, message: str, as_json: bool) -> str | None:
    try:
        events = service.stream(session, message, owner)
        if not as_json:
            console.print("[bold green]管家：[/bold green]", end="")
        for event in events:
            if event.type == "done" and event.reply is not None:
                if as_json:
                    print(event.reply.model_dump_json())
                else:
                    console.print(f"\n[dim]{AI_LABEL}[/dim]")
                return event.reply.session_id
            if as_json:
                continue
            if event.type == "delta":
                console.print(escape(event.text), end="")
            elif event.type == "notice":
                console.print(f"[yellow]{escape(event.text)}[/yellow]")
            elif event.type == "tool" and event.tool_call is not None:
                console.print(f"[dim]（调用 {event.tool_call.tool}）[/dim]")
    except AssistantError as exc:
        console.print(f"\n[red]{escape(str(exc))}[/red]")
    return session
