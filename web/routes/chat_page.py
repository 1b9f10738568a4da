"""The chat page (`/`): the conversation UI over C1's chat API."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.deps import app_of
from web.templating import render

router = APIRouter()


@router.get("/", include_in_schema=False)
def chat_page(request: Request) -> Response:
    settings = app_of(request).settings
    return render(request, "index.html", upload_limit_mb=round(settings.resume_max_bytes / 1024 / 1024, 1))
