"""The talent-market store: ownership, opt-in and invitation state (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.errors import InvalidInputError
from assistant.jobs.fairness import PostingCheck
from assistant.jobs.models import JobPosting, TalentProfile
from assistant.market.candidates import mask_text, parse_talent_ref
from assistant.market.models import Contact
from assistant.market.store import MarketStore, RecordNotFoundError
from assistant.storage import Database


@pytest.fixture
def store(database: Database) -> MarketStore:
    """The store on each backend: SQLite and PostgreSQL."""
    return MarketStore(database)


def test_posting_ids_are_assigned_and_other_employers_see_nothing(store: MarketStore) -> None:
    posting = store.add_posting(1, "两江数据", JobPosting(id="draft", title="数据分析师"), PostingCheck(issues=[]), [])
    assert posting.job.id == "W000001" and posting.job.company == "两江数据" and posting.job.source == "web"
    assert [p.id for p in store.postings(1)] == [posting.id] and store.postings(2) == []
    with pytest.raises(RecordNotFoundError):
        store.posting(posting.id, 2)


def test_invitation_is_decided_once_by_its_talent(store: MarketStore) -> None:
    store.save_profile(5, "陈", TalentProfile(id="user:5", skills=["SQL"]), Contact(name="陈思远", phones=["1"]),
                       "cv.txt", True)
    posting = store.add_posting(1, "两江数据", JobPosting(id="draft", title="数据分析师"), PostingCheck(issues=[]), [])
    first = store.invite(posting, "user:5", 5, "你好")
    assert store.invite(posting, "user:5", 5, "再次") == first  # inviting twice keeps the first invitation
    with pytest.raises(RecordNotFoundError):
        store.decide(first.id, 6, True)
    accepted = store.decide(first.id, 5, True)
    assert accepted.status == "accepted" and isinstance(accepted.decided, dt.datetime)
    with pytest.raises(InvalidInputError, match="已处理"):
        store.decide(first.id, 5, False)
    assert store.invitations_for_talent(5)[0].job_title == "数据分析师"


def test_opt_in_needs_a_profile_and_filters_candidates(store: MarketStore) -> None:
    with pytest.raises(InvalidInputError):
        store.set_opt_in(9, True)
    store.save_profile(9, "王", TalentProfile(id="user:9", skills=["Go"]), Contact(), "cv.pdf", False)
    assert store.opted_in_profiles() == []
    assert store.set_opt_in(9, True).opt_in and [p.user_id for p in store.opted_in_profiles()] == [9]


@pytest.mark.parametrize("record_id", [0, -1, 2**63, 10**30])
def test_ids_out_of_range_name_no_record(store: MarketStore, record_id: int) -> None:
    with pytest.raises(RecordNotFoundError):
        store.posting(record_id, 1)
    with pytest.raises(RecordNotFoundError):
        store.decide(record_id, 1, True)


@pytest.mark.parametrize(("ref", "user_id"), [("user:5", 5), ("user:123", 123), (f"user:{2**63 - 1}", 2**63 - 1),
                                               ("T000001", None), ("T123456", None), ("T1234567", None)])
def test_talent_refs_in_their_canonical_form(ref: str, user_id: int | None) -> None:
    assert parse_talent_ref(ref) == user_id


@pytest.mark.parametrize("ref", ["user:05", "user: 5", "user:+5", "user:5 ", " user:5", "user:0", "user:-5",
                                 "USER:5", "user:5.0", "user:５", f"user:{2**63}", "user:", "5", "t000001",
                                 "T00001", "T0000001", "T000001 ", "user:5\n", "J000001"])
def test_any_other_spelling_of_a_talent_ref_is_refused(ref: str) -> None:
    with pytest.raises(InvalidInputError, match="无效的候选人编号"):
        parse_talent_ref(ref)


def test_masking_redacts_personal_data_and_the_name() -> None:
    line = "王思远 本科 微信 wxm_secret_88 手机 139 1234 5678 QQ 88776655"
    assert mask_text(line, ["王思远"]) == "*** 本科 微信 *** 手机 *** QQ ***"
    assert mask_text(line, []).startswith("王思远 本科 微信 ***")
