"""`assistant serve` as a user starts it: indexes a fresh data directory, then answers over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def test_serve_indexes_on_start_and_answers(tmp_path: Path, corpus_dir: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_CORPUS_DIR": str(corpus_dir),
           "ASSISTANT_EMBEDDING_PROVIDER": "none", "ASSISTANT_PORT": str(port)}
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli.main", "serve"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"{base}/health", timeout=1).json()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("server did not start")
        assert health["indexed"] and health["documents"] == 5
        answer = httpx.post(f"{base}/api/ask", json={"question": "两江新区企业博士资助多少钱"}).json()
        assert answer["grounded"] and "15万元" in answer["answer"]
    finally:
        process.terminate()
        process.wait(10)
