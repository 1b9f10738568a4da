"""Two `assistant serve` processes on different ports, each with its own data directory, sharing one PostgreSQL
database and one `chroma run` server — as behind a load balancer: a login, a chat, a posting, the login throttle and
the rate limits made on one node hold on the other."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import chromadb
import httpx
import pytest

from assistant.jobs.library import build_library, library_dir
from tests.live import free_port
from tests.storage.postgres import fresh_database

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "data" / "corpus"
RESUME = REPO / "tests" / "data" / "chat" / "resume_battery.txt"
LOGINS_PER_MINUTE = 8
QUESTION = "博士研究生租房补贴每月多少钱？"


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 180, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log else ""
            raise AssertionError(f"{url} exited with {process.returncode}: {tail}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture(scope="module")
def nodes(postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, int]]:
    """(node A URL, node B URL, Chroma port): both nodes started with the real encoder and the shared stores."""
    root = tmp_path_factory.mktemp("two-nodes")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    chroma_port = free_port()
    processes = [subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(root / "chroma"),
                                   "--host", "127.0.0.1", "--port", str(chroma_port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    env = {**os.environ, "ASSISTANT_DATABASE_URL": fresh_database(postgres_admin_url),
           "ASSISTANT_CHROMA_URL": f"http://127.0.0.1:{chroma_port}", "ASSISTANT_CORPUS_DIR": str(corpus),
           "ASSISTANT_WEB_SECRET_KEY": "two-nodes-test-" + "k" * 32, "ASSISTANT_DEMO": "1",
           "ASSISTANT_TODAY": "2026-11-22", "ASSISTANT_WEB_LOGIN_ATTEMPTS_PER_MINUTE": str(LOGINS_PER_MINUTE)}
    urls = []
    try:
        _wait(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", processes[0], 60)
        for name in ("a", "b"):
            data = root / f"data-{name}"
            build_library(library_dir(data), postings=200, talents=200)
            port = free_port()
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "assistant.cli.main", "serve", "--port", str(port)],
                env={**env, "ASSISTANT_DATA_DIR": str(data)}, stdout=subprocess.DEVNULL,
                stderr=(root / f"node-{name}.log").open("wb")))
            urls.append(f"http://127.0.0.1:{port}")
        for name, url, process in zip("ab", urls, processes[1:], strict=True):
            _wait(f"{url}/health", process, log=root / f"node-{name}.log")
        yield urls[0], urls[1], chroma_port
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def browser(base: str, cookies: httpx.Cookies | None = None) -> Iterator[httpx.Client]:
    """A browser-like client: a cookie jar and the CSRF token of its session."""
    with httpx.Client(base_url=base, cookies=cookies, timeout=60) as client:
        client.headers["X-CSRF-Token"] = client.get("/api/me").json()["csrf_token"]
        yield client


def log_in(client: httpx.Client, username: str) -> None:
    response = client.post("/api/auth/login", json={"username": username, "password": "demo-2026"})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]


def test_a_login_and_a_chat_continue_on_the_other_node(nodes: tuple[str, str, int]) -> None:
    node_a, node_b, _ = nodes
    with browser(node_a) as on_a:
        log_in(on_a, "demo-talent")
        first = on_a.post("/api/chat", json={"message": QUESTION})
        assert first.status_code == 200 and "2000元" in first.json()["reply"]
        with browser(node_b, on_a.cookies) as on_b:  # the same browser, routed to the other node
            on_b.headers["X-CSRF-Token"] = on_a.headers["X-CSRF-Token"]
            assert on_b.get("/api/me").json()["user"]["username"] == "demo-talent"
            follow = on_b.post("/api/chat", json={"session_id": first.json()["session_id"], "message": "那硕士呢？"})
            assert follow.status_code == 200 and "1200元" in follow.json()["reply"]
            assert len(on_b.get(f"/api/chat/{first.json()['session_id']}").json()) == 4
            on_b.post("/api/auth/logout")
        assert on_a.get("/api/me").json()["user"] is None  # logging out on B ended the login on A too


def test_a_posting_made_on_one_node_is_matched_on_the_other(nodes: tuple[str, str, int]) -> None:
    node_a, node_b, _ = nodes
    with browser(node_a) as talent:
        log_in(talent, "demo-talent")
        saved = talent.post("/api/talent/profile", data={"opt_in": "true"},
                            files={"file": ("resume.txt", RESUME.read_bytes(), "text/plain")})
        assert saved.status_code == 200 and saved.json()["opt_in"], saved.text
        talent_ref = f"user:{saved.json()['user_id']}"
    with browser(node_b) as employer:
        log_in(employer, "demo-employer")
        published = employer.post("/api/employer/postings", json={
            "title": "动力电池系统工程师", "skills": ["电池管理系统", "MATLAB", "CAN"], "education": "硕士",
            "description": "负责动力电池系统设计与测试。"})
        assert published.status_code == 200 and published.json()["posting"], published.text
        posting_id = published.json()["posting"]["id"]
    with browser(node_a) as same_employer:
        log_in(same_employer, "demo-employer")
        assert [p["id"] for p in same_employer.get("/api/employer/postings").json()] == [posting_id]
        ranked = same_employer.get(f"/api/employer/postings/{posting_id}").json()["candidates"]
        assert talent_ref in [c["ref"] for c in ranked]  # the profile saved via A, for B's posting


def test_both_nodes_search_the_vectors_in_the_shared_chroma_server(nodes: tuple[str, str, int]) -> None:
    node_a, node_b, chroma_port = nodes
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        health = [httpx.get(f"{url}/health", timeout=5).json() for url in (node_a, node_b)]
        if all(h["vectors"] >= h["chunks"] > 0 and not h["building_vectors"] for h in health):
            break
        time.sleep(1)
    else:
        raise AssertionError(f"vectors not built: {health}")
    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_port)
    assert [c.name for c in client.list_collections()] == ["policy_chunks"]
    assert client.get_collection("policy_chunks").count() == health[1]["chunks"]
    for url in (node_a, node_b):
        answer = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=60).json()
        assert answer["grounded"] and "2000元" in answer["answer"]


def test_login_limits_are_counted_across_nodes(nodes: tuple[str, str, int]) -> None:
    node_a, node_b, _ = nodes
    statuses = []
    for attempt in range(LOGINS_PER_MINUTE + 2):
        base = (node_a, node_b)[attempt % 2]
        response = httpx.post(f"{base}/api/auth/login", json={"username": "nobody-here", "password": "wrong-pass"},
                              timeout=30)
        statuses.append(response.status_code)
    # Each node alone would allow LOGINS_PER_MINUTE attempts; together they allow that many (minus the logins the
    # other tests of this module made within the minute).
    assert 429 in statuses and statuses.count(401) <= LOGINS_PER_MINUTE, statuses
