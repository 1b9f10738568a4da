"""Chat fixtures: a small job library and the fixture corpus (BM25 only) built once; a fresh chat store per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app import build_app
from assistant.chat.service import ChatService
from assistant.config import Settings, load_settings
from assistant.jobs.library import build_library, library_dir
from assistant.policy.service import PolicyService, build_policy_service
from tests.chat.openai_server import ScriptedOpenAIServer

TESTS = Path(__file__).resolve().parents[1]
CHAT_DATA = TESTS / "data" / "chat"
RESUME = CHAT_DATA / "resume_battery.txt"


@pytest.fixture(scope="session")
def chat_assistant(tmp_path_factory: pytest.TempPathFactory) -> PolicyService:
    """The fixture corpus indexed with BM25 and a 400 + 400 job/talent library, built once per session."""
    root = tmp_path_factory.mktemp("chat-world")
    build_library(library_dir(root), postings=400, talents=400, seed=2024)
    (root / "skills").mkdir()
    shutil.copytree(TESTS / "data" / "corpus", root / "corpus")
    settings = load_settings(data_dir=root, corpus_dir=root / "corpus", embedding_provider="none",
                             today="2026-11-22")
    assistant = build_policy_service(settings)
    assistant.ingest()
    return assistant


@pytest.fixture
def chat_settings(chat_assistant: PolicyService, tmp_path: Path) -> Settings:
    """Settings whose data directory is this test's own (chat.sqlite) but shares the built library."""
    data = tmp_path / "chat-data"
    data.mkdir()
    shared = chat_assistant.settings.data_dir
    (data / "jobs").symlink_to(shared / "jobs", target_is_directory=True)
    (data / "skills").symlink_to(shared / "skills", target_is_directory=True)
    return chat_assistant.settings.model_copy(update={"data_dir": data})


@pytest.fixture
def chat_service(chat_assistant: PolicyService, chat_settings: Settings) -> Iterator[ChatService]:
    service = build_app(chat_settings, policy=chat_assistant).chat
    yield service
    service.store.close()


@pytest.fixture
def resume_file() -> Path:
    """A mechanical-engineering master's résumé written for these tests (battery systems)."""
    return RESUME


@pytest.fixture
def server() -> Iterator[ScriptedOpenAIServer]:
    """The scripted OpenAI-protocol model server on loopback (a test may shadow `server` with its own web server)."""
    scripted = ScriptedOpenAIServer().start()
    yield scripted
    scripted.stop()
