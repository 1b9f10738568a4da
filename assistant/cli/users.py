"""`assistant users …`: web accounts (staff accounts are only created here or in demo mode)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from assistant.accounts import AccountStore
from assistant.cli.common import services

app = typer.Typer(help="Web 账号：创建工作人员/人才/招聘方账号、重设密码、列出账号。", no_args_is_help=True)
console = Console()
PasswordOption = Annotated[
    str, typer.Option(prompt="密码", hide_input=True, confirmation_prompt=True, help="至少 8 个字符；不填则交互输入。")
]


def _store() -> AccountStore:
    return services().accounts


@app.command()
def create(
    username: Annotated[str, typer.Argument(help="用户名（3–32 个字符）。")],
    role: Annotated[str, typer.Option("--role", help="talent（人才）、employer（招聘方）或 staff（工作人员）。")],
    password: PasswordOption,
    display_name: Annotated[str, typer.Option("--name", help="显示名称，如姓名或单位名称。")] = "",
) -> None:
    """创建账号（工作人员账号只能在这里创建）。"""
    user = _store().create(username, password, role, display_name)
    console.print(f"已创建账号 {escape(user.username)}（{user.role}，编号 {user.id}）。")


@app.command("set-password")
def set_password(username: Annotated[str, typer.Argument(help="用户名。")], password: PasswordOption) -> None:
    """重设账号密码。"""
    _store().set_password(username, password)
    console.print(f"已重设 {escape(username)} 的密码。")


@app.command("list")
def list_users() -> None:
    """列出全部账号（不显示密码）。"""
    for user in _store().users():
        console.print(f"{user.id}\t{escape(user.username)}\t{user.role}\t{escape(user.display_name)}")
