"""The same index code against a real `chroma run` server, selected by ASSISTANT_CHROMA_URL."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from assistant.config import Settings
from assistant.policy.service import build_policy_service


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    executable = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([executable, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_ingest_and_search_through_a_chroma_server(
    chroma_url: str, make_settings: Callable[..., Settings], fake_embeddings, corpus_dir: Path  # type: ignore[no-untyped-def]
) -> None:
    assistant = build_policy_service(make_settings(chroma_url=chroma_url), embeddings=fake_embeddings)
    report = assistant.ingest()
    assert report.vectors_added == report.chunks > 0
    result = assistant.retrieve("博士研究生每月租房补贴")
    assert result.dense_used and result.hits[0].document.id == "test-housing"
    assert any(hit.dense is not None for hit in result.hits)

    (corpus_dir / "policies" / "mentor-v1.md").unlink()
    report = assistant.ingest()
    assert report.vectors_removed == 1
    assert assistant.status()["vectors"] == report.chunks  # the server holds exactly the live chunks
