"""Visible streaming in the web chat: offline sentences arrive one by one (paced by `chat_stream_pace_ms`), an LLM's
unchecked draft is shown as provisional and replaced by the checked reply, a failure midway is reported in Chinese,
and a client that leaves frees its session. Real uvicorn servers on loopback; the browser tests use Chromium."""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from collections.abc import Callable, Iterator
from typing import Any, Literal

import httpx
import pytest

from assistant.app import build_app
from assistant.chat.models import ChatEvent, ChatMessage, ChatReply
from assistant.config import Settings, load_settings
from assistant.jobs.library import build_library, library_dir
from assistant.policy.service import build_policy_service
from assistant.tools.base import ToolContext
from tests.live import api_client, serving
from tests.web.conftest import FIXTURE_CORPUS, LIVE_TODAY
from web.app import create_app

PACE_MS = 300
QUESTION = "在本市首次购房的博士有什么补贴？"
CHECKED = "两江新区企业引进的博士每人资助10万元。"
REMOVED = "另外每位博士还能领取一辆汽车。"  # in the draft only: the grounding check "removed" it
FAILING = "请在回答中途出错"


class ScriptedLLM:
    """An LLM engine for these tests: a slow draft with one sentence the check removes, or a failure midway."""

    name: Literal["offline", "llm"] = "llm"

    def stream(self, ctx: ToolContext, message: str, history: list[ChatMessage]) -> Iterator[ChatEvent]:
        if message == FAILING:
            yield ChatEvent(type="delta", text="两江新区")
            time.sleep(0.3)
            raise RuntimeError("the model server went away")
        tokens = ("两江新区企业引进的博士", "每人资助10万元。", "另外每位博士", "还能领取一辆汽车。", "详见", "原文。")
        for token in tokens:
            yield ChatEvent(type="delta", text=token)
            time.sleep(0.4)
        yield ChatEvent(type="done", reply=ChatReply(session_id="", reply=CHECKED, engine="llm"))


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Two servers over one app: the offline chat paced PACE_MS a sentence, and the same with ScriptedLLM."""
    root = tmp_path_factory.mktemp("streaming")
    shutil.copytree(FIXTURE_CORPUS, root / "corpus")
    settings: Settings = load_settings(data_dir=root / "data", corpus_dir=root / "corpus", embedding_provider="none",
                                       today=LIVE_TODAY, web_rate_limit_per_minute=0, chat_stream_pace_ms=PACE_MS)
    build_library(library_dir(settings.data_dir), postings=40, talents=40)
    policy = build_policy_service(settings)
    policy.ingest()
    app = build_app(policy.settings, policy=policy)
    scripted = dataclasses.replace(app, chat=app.chat.with_engine(ScriptedLLM()))
    with serving(create_app(app)) as offline, serving(create_app(scripted)) as llm:
        yield {"offline": offline, "llm": llm}


def timed_events(response: httpx.Response) -> list[tuple[float, str, dict[str, Any]]]:
    """(arrival time, event, data) of each server-sent event, read off the wire one by one."""
    events: list[tuple[float, str, dict[str, Any]]] = []
    name, data = "message", list[str]()
    for line in response.iter_lines():
        if not line:
            if data:
                events.append((time.monotonic(), name, json.loads("\n".join(data))))
            name, data = "message", list[str]()
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())
    return events


def test_offline_sentences_arrive_one_by_one(servers: dict[str, str]) -> None:
    with api_client(servers["offline"]) as client, client.stream(
        "POST", "/api/chat/stream", json={"message": QUESTION}
    ) as response:
        assert response.status_code == 200
        events = timed_events(response)
    deltas = [(at, data) for at, name, data in events if name == "delta"]
    assert len(deltas) >= 3
    assert not any(data["draft"] for _, data in deltas)  # the offline text is final as it arrives
    done_at, name, done = events[-1]
    assert name == "done" and "".join(data["text"] for _, data in deltas) == done["reply"]
    gaps = [later[0] - earlier[0] for earlier, later in zip(deltas, deltas[1:], strict=False)]
    assert min(gaps) >= PACE_MS / 1000 * 0.8  # each sentence is its own flushed event, not one burst at the end
    assert done_at - deltas[0][0] >= (len(deltas) - 1) * PACE_MS / 1000 * 0.8
    assert done["citations"]  # the sources come with the final event


def test_a_client_that_leaves_frees_its_session_and_the_turn_is_not_saved(servers: dict[str, str]) -> None:
    with api_client(servers["offline"]) as client:
        first = client.post("/api/chat", json={"message": QUESTION}).json()
        session = first["session_id"]
        with client.stream("POST", "/api/chat/stream", json={"session_id": session, "message": "那硕士呢？"}) as resp:
            for line in resp.iter_lines():
                if line.startswith("event: delta"):
                    break  # leave after the first sentence
        started = time.monotonic()
        again = client.post("/api/chat", json={"session_id": session, "message": "两江新区企业博士资助多少钱"})
        assert again.status_code == 200 and "10万元" in again.json()["reply"]
        assert time.monotonic() - started < 10  # not stuck behind the abandoned turn's session lock
        history = client.get(f"/api/chat/{session}").json()
        asked = [m["content"] for m in history if m["role"] == "user"]
        assert len(asked) == 2 and asked[1] == "两江新区企业博士资助多少钱"  # the abandoned "那硕士呢？" is not kept


def test_llm_tokens_come_as_a_draft_and_done_holds_the_checked_reply(servers: dict[str, str]) -> None:
    with api_client(servers["llm"]) as client, client.stream(
        "POST", "/api/chat/stream", json={"message": "两江新区博士有什么资助"}
    ) as response:
        events = timed_events(response)
    deltas = [data for _, name, data in events if name == "delta"]
    assert len(deltas) == 6 and all(data["draft"] for data in deltas)
    assert events[-1][1] == "done" and events[-1][2]["reply"] == CHECKED and events[-1][2]["engine"] == "llm"


def test_a_failure_midway_ends_the_stream_with_a_chinese_error(servers: dict[str, str]) -> None:
    with api_client(servers["llm"]) as client, client.stream(
        "POST", "/api/chat/stream", json={"message": FAILING}
    ) as response:
        events = timed_events(response)
    assert [name for _, name, _ in events] == ["delta", "error"]
    assert events[-1][2] == {"error": "internal_error", "detail": "服务器内部错误，请稍后再试。"}


# Samples the reply every 40 ms while it streams: its text length, the status line, the send button, the draft box.
WATCH = """() => {
  window.samples = [];
  const timer = setInterval(() => {
    const reply = [...document.querySelectorAll('.msg.assistant')].pop();
    if (!reply) return;
    const text = reply.querySelector('.text');
    const draft = reply.querySelector('.draft');
    window.samples.push({streaming: reply.classList.contains('streaming'), length: text.textContent.length,
      status: document.getElementById('chat-status').textContent,
      sendDisabled: document.getElementById('send').disabled,
      busy: document.getElementById('messages').getAttribute('aria-busy'),
      draft: draft ? draft.textContent : null,
      draftHidden: draft ? draft.getAttribute('aria-hidden') : null});
    if (!reply.classList.contains('streaming')) clearInterval(timer);
  }, 40);
}"""


@pytest.mark.browser
def test_the_browser_shows_the_answer_growing_sentence_by_sentence(
    servers: dict[str, str], browser_page: Any, screenshot: Callable[..., Any]
) -> None:
    page = browser_page
    page.goto(f"{servers['offline']}/")
    page.fill("#chat-input", QUESTION)
    page.evaluate(WATCH)
    page.keyboard.press("Enter")
    answer = page.locator(".msg.assistant").last
    page.wait_for_function("""() => { const r = [...document.querySelectorAll('.msg.assistant.streaming .text')].pop();
                                      return r && r.textContent.includes('20万元'); }""")  # two sentences in
    screenshot(page, "chat-streaming", full_page=False)
    answer.locator(".cite").first.wait_for()
    page.locator("#send:not([disabled])").wait_for()
    final = len(answer.locator(".text").first.inner_text())
    samples = page.evaluate("window.samples")
    during = [s for s in samples if s["streaming"] and 0 < s["length"] < final]
    assert len({s["length"] for s in during}) >= 2  # at least two intermediate states before the final one
    assert all(s["sendDisabled"] and s["busy"] == "true" and "正在回答" in s["status"] for s in during)
    assert page.locator("#chat-status").inner_text() == "" and page.locator("#messages").get_attribute(
        "aria-live") == "polite"
    assert "20万元" in answer.inner_text() and answer.get_attribute("class") == "msg assistant"


@pytest.mark.browser
def test_the_llm_draft_is_provisional_and_a_removed_sentence_does_not_stay(
    servers: dict[str, str], browser_page: Any, screenshot: Callable[..., Any]
) -> None:
    page = browser_page
    page.goto(f"{servers['llm']}/")
    page.fill("#chat-input", "两江新区博士有什么资助")
    page.evaluate(WATCH)
    page.keyboard.press("Enter")
    answer = page.locator(".msg.assistant").last
    answer.locator(".draft", has_text="一辆汽车").wait_for()
    screenshot(page, "chat-draft", full_page=False)
    page.wait_for_function("() => !document.querySelector('.msg.assistant.streaming') && "
                           "!document.getElementById('send').disabled")
    samples = page.evaluate("window.samples")
    drafts = [s for s in samples if s["streaming"] and s["draft"] and REMOVED in s["draft"]]
    assert drafts and all(s["draftHidden"] == "true" and "草稿" in s["status"] for s in drafts)
    assert all(s["length"] == 0 for s in samples if s["streaming"])  # nothing unchecked in the reply itself
    assert CHECKED in answer.inner_text()
    assert REMOVED not in page.locator("#messages").inner_text() and answer.locator(".draft").count() == 0


@pytest.mark.browser
def test_a_failure_midway_is_shown_in_chinese(servers: dict[str, str], browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{servers['llm']}/")
    page.fill("#chat-input", FAILING)
    page.keyboard.press("Enter")
    alert = page.locator(".msg.assistant [role=alert]")
    alert.wait_for()
    assert "服务器内部错误，请稍后再试。" in alert.inner_text()
    assert page.locator(".msg.assistant .draft").count() == 0 and not page.locator("#send").is_disabled()
