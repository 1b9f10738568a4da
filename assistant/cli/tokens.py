"""`assistant tokens …`: API tokens for scripts, MCP hosts and OpenAI-compatible clients (`Authorization: Bearer`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from assistant.accounts import AccountStore, ApiToken
from assistant.cli.common import services

app = typer.Typer(help="API 令牌：创建（只显示一次）、列出（含最近使用时间）、吊销。", no_args_is_help=True)
console = Console()


def _store() -> AccountStore:
    return services().accounts


def _when(value: dt.datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "—"


def _row(token: ApiToken) -> str:
    acting = f"账号 {token.username}" if token.username else f"token:{token.name}"
    return "\t".join([str(token.id), token.name, token.role, acting, _when(token.created), _when(token.last_used),
                      _when(token.revoked)])


@app.command()
def create(
    role: Annotated[str, typer.Option("--role", help="talent（人才）、employer（招聘方）或 staff（工作人员）。")],
    name: Annotated[str, typer.Option("--name", help="令牌名称，如调用方的系统名（列出和吊销时用）。")],
    user: Annotated[str | None, typer.Option("--user", help="可选：令牌代表的已有账号（角色须一致）。")] = None,
) -> None:
    """创建令牌；令牌只在此时显示一次，库中只存其 SHA-256 摘要。"""
    token, secret = _store().create_token(name, role, user)
    console.print(f"已创建令牌 {escape(token.name)}（{token.role}，编号 {token.id}）。请立即保存，它不会再次显示：")
    print(secret)  # plain stdout, so `$(assistant tokens create …)`-style scripts can take the last line
    console.print("用法：请求头 Authorization: Bearer <令牌>（/api/、/v1、/mcp 通用）。")


@app.command("list")
def list_tokens() -> None:
    """列出全部令牌（编号、名称、角色、身份、创建时间、最近使用、吊销时间）；不显示令牌本身。"""
    typer.echo("编号\t名称\t角色\t身份\t创建\t最近使用\t吊销")  # plain tab-separated lines, for scripts too
    for token in _store().tokens():
        typer.echo(_row(token))


@app.command()
def revoke(ref: Annotated[str, typer.Argument(help="令牌名称或编号。")]) -> None:
    """吊销令牌：立即失效，之后带它的请求得到 401。"""
    token = _store().revoke_token(ref)
    console.print(f"已吊销令牌 {escape(token.name)}（编号 {token.id}）。")
