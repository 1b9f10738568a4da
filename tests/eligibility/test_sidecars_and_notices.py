"""Sidecars beside the documents (written at ingest, re-extracted when a document changes, kept once reviewed) and the
notices an ingest sends to opted-in talents whose saved facts now qualify."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from assistant.app import App, build_app
from assistant.config import load_settings
from assistant.eligibility.models import Fact, PersonFacts
from assistant.eligibility.sidecars import parse_sidecar_text, read_sidecar, sidecar_path
from assistant.errors import InvalidInputError
from tests.eligibility.conftest import DATA, DISTRICT_CALL, TODAY

CALL = "announcements/bishan-phd-housing.md"


def small_app(tmp_path: Path) -> App:
    """A corpus of two documents (so that each test can change it), BM25 only."""
    corpus = tmp_path / "corpus"
    (corpus / "policies").mkdir(parents=True)
    (corpus / "announcements").mkdir()
    root = Path(__file__).resolve().parents[2] / "corpus" / "documents"
    shutil.copy(root / "policies" / "policy-postdoc-innovation-doubling.md", corpus / "policies")
    settings = load_settings(data_dir=tmp_path / "data", corpus_dir=corpus, embedding_provider="none", today=TODAY)
    return build_app(settings)


def stated(**values: object) -> PersonFacts:
    return PersonFacts(**{k: Fact(value=v, source="stated") for k, v in values.items()})


def test_ingest_writes_sidecars_and_keeps_a_reviewed_one(tmp_path: Path) -> None:
    app = small_app(tmp_path)
    corpus = app.settings.corpus_dir
    policy = corpus / "policies" / "policy-postdoc-innovation-doubling.md"
    app.policy.ingest(build_vectors=False)
    sidecar = read_sidecar(sidecar_path(policy))
    assert sidecar is not None and not sidecar.reviewed and sidecar.conditions
    # Staff correct one condition and mark the sidecar reviewed.
    corrected = sidecar.model_copy(update={"conditions": sidecar.conditions[:1]})
    app.eligibility.save_reviewed(sidecar.doc_id, corrected, "demo-staff")
    # The document changes; re-ingest re-extracts unreviewed sidecars but keeps this one as staff left it.
    policy.write_text(policy.read_text(encoding="utf-8") + "\n第十八条 补充条款。\n", encoding="utf-8")
    report = app.policy.ingest(build_vectors=False)
    assert report.changed
    kept = read_sidecar(sidecar_path(policy))
    assert kept is not None and kept.reviewed and kept.reviewed_by == "demo-staff" and len(kept.conditions) == 1
    assert app.eligibility.conditions(sidecar.doc_id)[1].conditions == kept.conditions


def test_a_changed_unreviewed_document_is_extracted_again(tmp_path: Path) -> None:
    app = small_app(tmp_path)
    target = app.settings.corpus_dir / CALL
    shutil.copy(DATA / "bishan-phd-housing.md", target)
    app.policy.ingest(build_vectors=False)
    before = read_sidecar(sidecar_path(target))
    assert before is not None and any(c.kind == "age" and c.value == 40 for c in before.conditions)
    target.write_text(target.read_text(encoding="utf-8").replace("40周岁", "38周岁"), encoding="utf-8")
    app.policy.ingest(build_vectors=False)
    after = read_sidecar(sidecar_path(target))
    assert after is not None and any(c.kind == "age" and c.value == 38 for c in after.conditions)


def test_staff_yaml_that_is_not_the_schema_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        parse_sidecar_text("doc_id: x\nconditions:\n  - kind: salary\n")
    with pytest.raises(InvalidInputError):
        parse_sidecar_text("[: not yaml")


def test_an_ingest_that_adds_a_call_notifies_opted_in_talents_who_qualify(tmp_path: Path) -> None:
    app = small_app(tmp_path)
    app.policy.ingest(build_vectors=False)
    fits = stated(education="博士", age=33, district="璧山区", residence="在渝", contract_years=3.0)
    app.eligibility.subscribe(1, fits, opt_in=True)
    app.eligibility.subscribe(2, fits, opt_in=False)  # did not opt in
    app.eligibility.subscribe(3, stated(education="硕士", district="璧山区", residence="在渝"), opt_in=True)
    shutil.copy(DATA / "bishan-phd-housing.md", app.settings.corpus_dir / CALL)
    app.policy.ingest(build_vectors=False)
    inbox = app.eligibility.inbox(1)
    assert [(e.doc_id, e.verdict) for e in inbox] == [(DISTRICT_CALL, "符合")]
    assert inbox[0].deadline == dt.date(2026, 12, 1) and inbox[0].deadline_soon
    assert app.eligibility.inbox(2) == [] and app.eligibility.inbox(3) == []
    app.policy.ingest(build_vectors=False)  # nothing changed: no second notice
    assert len(app.eligibility.inbox(1)) == 1
