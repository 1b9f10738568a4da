"""What `assistant serve` prepares besides the policy index: the jobs/talents library the web pages read."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

from assistant.accounts import secret_key
from assistant.app import App, build_app
from assistant.config import Settings, load_settings
from assistant.errors import AssistantError, InvalidInputError
from assistant.jobs.library import FORMAT_VERSION, build_library, library_dir
from web.app import create_app

log = logging.getLogger(__name__)


def library_ready(directory: Path) -> bool:
    """Whether a library of the current format is built in `directory`."""
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get("format") == FORMAT_VERSION


def start_job_library_build(settings: Settings) -> threading.Thread | None:
    """Build the default job library in a background thread when it is missing or outdated; None when ready."""
    directory = library_dir(settings.data_dir)
    if library_ready(directory):
        return None
    thread = threading.Thread(target=_build, args=(directory,), name="job-library-build", daemon=True)
    thread.start()
    return thread


def _build(directory: Path) -> None:
    try:
        report = build_library(directory)
        log.info("job library built: %d postings, %d talents in %.1f s",
                 report.postings, report.talents, report.seconds)
    except (AssistantError, OSError) as exc:  # the policy chat keeps working without the library
        log.warning("building the job library failed: %s", exc)


WARM_UP_MESSAGES = ("在本市首次购房的博士有什么补贴？", "数据分析师需要哪些技能？", "推荐数据分析师岗位")


def start_warm_up(app: FastAPI, library_build: threading.Thread | None = None) -> threading.Thread:
    """Answer a few typical chat messages in the background so the first users do not pay for cold caches."""
    app.state.warming_up = True
    thread = threading.Thread(target=_warm_up, args=(app, library_build), name="chat-warm-up", daemon=True)
    thread.start()
    return thread


def _warm_up(app: FastAPI, library_build: threading.Thread | None) -> None:
    started = time.perf_counter()
    try:
        if library_build is not None:
            library_build.join()
        services: App = app.state.services
        services.market.warm_up()  # the job catalogue and the postings' skill index
        service = services.chat
        session_id = None
        for message in WARM_UP_MESSAGES:
            session_id = service.turn(session_id, message, owner="warm-up").session_id
        if session_id:
            service.delete(session_id, owner="warm-up")
        log.info("chat warmed up in %.1f s", time.perf_counter() - started)
    except Exception as exc:  # a thread's entry point: a failed warm-up only means a slower first request
        log.warning("chat warm-up failed: %s", exc)
    finally:
        app.state.warming_up = False


def serve(settings: Settings, host: str, port: int, say: Callable[[str], object] = print) -> None:
    """Prepare the index and the job library, then run uvicorn in `settings.web_workers` processes."""
    import uvicorn

    workers = settings.web_workers
    if workers > 1 and settings.embedding_provider != "none" and settings.chroma_url is None:
        raise InvalidInputError("多个工作进程需要 Chroma 服务器（ASSISTANT_CHROMA_URL），"
                                "或设置 ASSISTANT_EMBEDDING_PROVIDER=none 只用 BM25。")
    services = build_app(settings)
    say("正在准备索引（首次启动先建 BM25 索引，向量在后台补齐）…")
    services.policy.prepare_for_serving()
    library_build = start_job_library_build(settings)
    if library_build is not None:
        say("岗位人才库尚未建立，正在后台生成（约 15 秒；岗位、招聘方与人才洞察页面随后可用）…")
    say(f"服务地址：http://{host}:{port}  （接口文档见 /docs）" + (f"；{workers} 个工作进程" if workers > 1 else ""))
    if workers == 1:
        app = create_app(services)
        start_warm_up(app, library_build)
        uvicorn.run(app, host=host, port=port, log_level="info")
        return
    # Worker processes read their settings from the environment: what only the parent knows is made explicit,
    # and what they would otherwise race to create (the signing key, the demo accounts) is created here once.
    secret_key(settings.data_dir)
    if settings.demo:
        services.accounts.ensure_demo_accounts()
    os.environ["ASSISTANT_DEMO"] = "1" if settings.demo else "0"
    os.environ["ASSISTANT_DATA_DIR"] = str(settings.data_dir)
    if library_build is not None:
        library_build.join()
    uvicorn.run("web.serving:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level="info")


def app_from_environment() -> FastAPI:
    """One worker process's app (uvicorn factory): settings from the environment, the index the parent prepared."""
    app = create_app(build_app(load_settings()))
    start_warm_up(app)
    return app
