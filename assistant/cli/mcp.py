"""`assistant mcp`: the assistant's tools for an MCP host (Claude Desktop, Cherry Studio, Cursor …) over stdio."""

from __future__ import annotations

from typing import Annotated, Literal

import anyio
import typer

from assistant.cli.common import services

Role = Literal["anonymous", "talent", "employer", "staff"]


def mcp(
    role: Annotated[Role, typer.Option(
        "--role", help="以哪种身份提供工具：anonymous/talent（政策、岗位、技能、简历、紧缺分析）、employer 与 staff"
        "（另加人才推荐与招聘启事合规检查）。本机进程可读数据目录，身份由启动它的人决定。")] = "talent",
) -> None:
    """以 MCP（stdio）提供政策问答、岗位匹配、技能分析、简历评审等工具，供 Claude Desktop、Cherry Studio 等调用。

    标准输入输出只用于 MCP 协议；日志写到标准错误。网页服务另在 /mcp 提供同样的工具（streamable HTTP）。
    """
    # The MCP SDK takes a second to import: load it only for this command, not for every `assistant` call.
    from mcp.server.stdio import stdio_server

    from assistant.mcp.server import build_mcp_server, fixed_role

    server = build_mcp_server(services(), fixed_role(role))

    async def run() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(run)
