"""/mcp: the MCP server's streamable-HTTP endpoint inside the web app, with the caller's role per request.

Stateless (every request stands alone, so any of several `assistant serve` processes can answer it) with JSON
responses. The SDK's session manager needs a running task group: `mcp_lifespan` enters it for the app's lifetime.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from mcp.server import ServerRequestContext
from mcp.server.transport_security import TransportSecuritySettings
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.app import App
from assistant.mcp.server import build_mcp_server
from web.auth import current_user

MCP_PATH = "/mcp"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def request_role(request: Request | None) -> str:
    """The role of an HTTP caller: its Bearer token's or login's role, else anonymous (the one switch point)."""
    user = current_user(request) if request is not None else None
    return user.role if user is not None else "anonymous"


def _role_of(ctx: ServerRequestContext[Any, Any]) -> str:
    request = ctx.request if isinstance(ctx.request, Request) else None
    return request_role(request)


def mcp_app(services: App) -> tuple[Route, Callable[[], AbstractAsyncContextManager[None]]]:
    """The route /mcp and the lifespan that runs its session manager."""
    server = build_mcp_server(services, _role_of)
    host = services.settings.host
    # The SDK's DNS-rebinding guard (Host/Origin must be loopback) only makes sense when serving on loopback.
    security = None if host in LOOPBACK else TransportSecuritySettings(enable_dns_rebinding_protection=False)

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        await server.session_manager.handle_request(scope, receive, send)

    @asynccontextmanager
    async def lifespan() -> AsyncIterator[None]:
        # A session manager runs once: each start of the app (a test client may start it twice) gets a new one.
        server.streamable_http_app(stateless_http=True, json_response=True, transport_security=security, host=host)
        async with server.session_manager.run():
            yield

    route = Route(MCP_PATH, _Endpoint(endpoint), methods=["GET", "POST", "DELETE"], include_in_schema=False)
    return route, lifespan


class _Endpoint:
    """An ASGI callable that Starlette routes as an app (a bare function would be taken for a request handler);
    routed at /mcp itself, since a mount would redirect /mcp to /mcp/."""

    def __init__(self, handle: ASGIApp) -> None:
        self.handle = handle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.handle(scope, receive, send)
