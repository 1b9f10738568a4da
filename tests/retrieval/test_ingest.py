from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import IndexBusyError
from assistant.policy.service import PolicyService, build_policy_service


@pytest.fixture
def dense_assistant(make_settings: Callable[..., Settings], fake_embeddings) -> PolicyService:  # type: ignore[no-untyped-def]
    """Fixture corpus with a real embedded Chroma store and the fake encoder."""
    return build_policy_service(make_settings(), embeddings=fake_embeddings)


def _doc_ids(assistant: PolicyService, query: str) -> list[str]:
    return [hit.doc_id for hit in assistant.search(query, top_k=10)]


def test_first_ingest_indexes_every_file_with_vectors(dense_assistant: PolicyService) -> None:
    report = dense_assistant.ingest()
    assert len(report.added) == 5 and not report.failed
    status = dense_assistant.status()
    assert status["documents"] == 5 and status["vectors"] == status["chunks"] == report.chunks


def test_reingesting_an_unchanged_corpus_does_no_work(dense_assistant: PolicyService, fake_embeddings) -> None:  # type: ignore[no-untyped-def]
    dense_assistant.ingest()
    generation = dense_assistant.store.current_number()
    encoded = fake_embeddings.calls
    report = dense_assistant.ingest()
    assert report.unchanged == 5 and not report.did_work
    assert dense_assistant.store.current_number() == generation
    assert fake_embeddings.calls == encoded


def test_a_changed_file_replaces_its_chunks(dense_assistant: PolicyService, corpus_dir: Path, fake_embeddings) -> None:  # type: ignore[no-untyped-def]
    dense_assistant.ingest()
    path = corpus_dir / "policies" / "housing.md"
    path.write_text(path.read_text(encoding="utf-8").replace("购房补贴20万元", "购房补贴35万元"), encoding="utf-8")
    encoded = fake_embeddings.calls
    report = dense_assistant.ingest()
    assert report.changed == ["policies/housing.md"] and report.unchanged == 4
    texts = " ".join(hit.text for hit in dense_assistant.search("博士 首次购房 购房补贴", top_k=10))
    assert "35万元" in texts and "20万元" not in texts
    assert 0 < fake_embeddings.calls - encoded < report.chunks  # only the changed chunks were encoded
    assert dense_assistant.status()["vectors"] == report.chunks  # the replaced chunk's vector is gone


def test_a_removed_file_leaves_the_index(dense_assistant: PolicyService, corpus_dir: Path) -> None:
    dense_assistant.ingest()
    (corpus_dir / "notices" / "job-fair-2025.md").unlink()
    report = dense_assistant.ingest()
    assert report.removed == ["notices/job-fair-2025.md"] and report.vectors_removed > 0
    assert "test-job-fair-2025" not in _doc_ids(dense_assistant, "秋季 招聘会 报名")
    assert dense_assistant.status()["vectors"] == report.chunks


def test_an_unreadable_file_is_reported_and_the_rest_ingested(bm25_assistant: PolicyService, corpus_dir: Path) -> None:
    (corpus_dir / "policies" / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (corpus_dir / "policies" / "extra.md").write_text(
        "---\nid: extra\ntitle: 新增文件\nkind: policy\n---\n第一条 新增内容。", encoding="utf-8"
    )
    report = bm25_assistant.ingest()
    assert len(report.failed) == 1 and "broken.pdf" in report.failed[0]
    assert report.added == ["policies/extra.md"]
    assert "extra" in _doc_ids(bm25_assistant, "新增内容")


def test_a_file_that_turns_corrupt_keeps_its_last_good_version(bm25_assistant: PolicyService, corpus_dir: Path) -> None:
    (corpus_dir / "policies" / "housing.md").write_bytes(b"")
    report = bm25_assistant.ingest()
    assert any("housing.md" in failure for failure in report.failed)
    assert "test-housing" in _doc_ids(bm25_assistant, "青年人才 租房补贴")


def test_duplicate_document_ids_are_reported(bm25_assistant: PolicyService, corpus_dir: Path) -> None:
    shutil.copy(corpus_dir / "policies" / "housing.md", corpus_dir / "policies" / "housing-copy.md")
    report = bm25_assistant.ingest()
    assert any("重复" in failure and "housing-copy.md" in failure for failure in report.failed)


def test_an_interrupted_ingest_leaves_the_previous_index_usable(
    dense_assistant: PolicyService, corpus_dir: Path
) -> None:
    dense_assistant.ingest()
    before = _doc_ids(dense_assistant, "创业导师 工作经费")
    (corpus_dir / "policies" / "housing.md").write_text("---\nid: test-housing\ntitle: 改\n---\n第一条 改写。",
                                                         encoding="utf-8")

    def crash(stage: str, done: int, total: int) -> None:
        if stage == "files" and done == 3:
            raise KeyboardInterrupt  # the user pressed Ctrl-C half-way

    with pytest.raises(KeyboardInterrupt):
        dense_assistant.ingest(crash)
    fresh = build_policy_service(dense_assistant.settings, embeddings=dense_assistant.searcher.embeddings)
    assert _doc_ids(fresh, "创业导师 工作经费") == before
    assert "test-housing" in _doc_ids(fresh, "青年人才 租房补贴")  # the old version is still served


def test_a_killed_ingest_process_leaves_the_previous_index_usable(
    make_settings: Callable[..., Settings], corpus_dir: Path, tmp_path: Path
) -> None:
    settings = make_settings()
    build_policy_service(settings).ingest()
    for i in range(200):  # enough new files that the kill lands mid-way
        (corpus_dir / "policies" / f"bulk-{i}.md").write_text(
            f"---\nid: bulk-{i}\ntitle: 批量文件{i}\n---\n第一条 批量内容{i}。", encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(corpus_dir),
           "ASSISTANT_EMBEDDING_PROVIDER": "none"}
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli.main", "ingest"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assistant = build_policy_service(settings)
    assert "test-housing" in _doc_ids(assistant, "青年人才 租房补贴")
    report = assistant.ingest()  # and the next run completes the job
    assert report.chunks >= 200 + 5


def test_a_second_writer_waits_for_the_lock_or_fails_clearly(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    first = build_policy_service(settings)
    first.ingestor.lock_timeout = 0.2
    second = build_policy_service(settings)
    second.ingestor.lock_timeout = 0.2
    held = threading.Event()
    release = threading.Event()

    def hold(stage: str, done: int, total: int) -> None:
        held.set()
        release.wait(5)

    worker = threading.Thread(target=first.ingest, args=(hold,))
    worker.start()
    held.wait(5)
    with pytest.raises(IndexBusyError):
        second.ingest()
    release.set()
    worker.join()
    assert second.ingest().unchanged == 5
