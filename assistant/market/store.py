"""The talent market's store (profiles, postings, invitations) in the storage layer; every write is one transaction."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Select, insert, select, update

from assistant.errors import InvalidInputError
from assistant.jobs.fairness import PostingCheck
from assistant.jobs.models import JobPosting, TalentProfile
from assistant.market.models import Contact, Invitation, InvitationStatus, MarketPosting, SavedProfile
from assistant.storage import Database, inserted_id, schema
from assistant.storage.database import EMBEDDED_FILE

STORE_FILE = EMBEDDED_FILE  # a store built from a data dir alone shares the embedded database
LEGACY_FILE = "talent_market.sqlite"  # the file of earlier versions (imported once by `build_app`)
MAX_ID = 2**63 - 1  # the largest 64-bit id: a larger id names no record (and would overflow the driver)
P, J, I = schema.market_profiles, schema.market_postings, schema.market_invitations  # noqa: E741
_PROFILE = (P.c.user_id, P.c.display_name, P.c.profile, P.c.contact, P.c.resume_source, P.c.opt_in, P.c.updated)
_POSTING = (J.c.id, J.c.employer_id, J.c.company, J.c.job, J.c.checked, J.c.acknowledged, J.c.created)


class RecordNotFoundError(InvalidInputError):
    """A posting or invitation that does not exist or belongs to someone else (read as not found, never forbidden)."""

    http_status = 404


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class MarketStore:
    """Profiles, postings and invitations; each call is one transaction on a pooled connection, any thread may call.

    Given a path, the store keeps its own SQLite file there; `build_app` passes the application's `Database`.
    """

    def __init__(self, database: Path | Database) -> None:
        self.db = database if isinstance(database, Database) else Database.sqlite(database)
        self.path = database if isinstance(database, Path) else None

    def import_legacy(self, path: Path) -> bool:
        """Copy the profiles, postings and invitations of an old `talent_market.sqlite` once (True when copied)."""
        return self.db.import_legacy(path, {
            "profiles": (P, lambda row: {**row, "opt_in": bool(row["opt_in"])}),
            "postings": (J, dict),
            "invitations": (I, dict),
        })

    # --- profiles -------------------------------------------------------------------------------------------
    def save_profile(self, user_id: int, display_name: str, profile: TalentProfile, contact: Contact,
                     resume_source: str, opt_in: bool, resume_data: bytes | None = None) -> SavedProfile:
        """Create or replace a talent's profile (and the résumé file it was read from, when given)."""
        with self.db.begin() as db:
            self.db.upsert(db, P, {"user_id": user_id, "display_name": display_name,
                                   "profile": profile.model_dump_json(), "contact": contact.model_dump_json(),
                                   "resume_source": resume_source, "opt_in": opt_in, "updated": _now(),
                                   "resume_data": resume_data}, ["user_id"])
        return self.profile(user_id)  # type: ignore[return-value]

    def saved_resume(self, user_id: int) -> tuple[bytes, str] | None:
        """The bytes and file name of the talent's saved résumé, or None (no profile, or one saved without it)."""
        with self.db.begin() as db:
            row = db.execute(select(P.c.resume_data, P.c.resume_source).where(P.c.user_id == user_id)).first()
        return (bytes(row[0]), row[1]) if row is not None and row[0] else None

    def profile(self, user_id: int) -> SavedProfile | None:
        """A talent's saved profile, or None."""
        with self.db.begin() as db:
            row = db.execute(select(*_PROFILE).where(P.c.user_id == user_id)).first()
        return _profile(row) if row else None

    def set_opt_in(self, user_id: int, opt_in: bool) -> SavedProfile:
        """Turn recommendation to employers on or off; InvalidInputError without a saved profile."""
        with self.db.begin() as db:
            changed = db.execute(update(P).where(P.c.user_id == user_id).values(opt_in=opt_in,
                                                                                updated=_now())).rowcount
        if not changed:
            raise InvalidInputError("还没有保存求职档案：请先上传简历并保存为档案。")
        return self.profile(user_id)  # type: ignore[return-value]

    def opted_in_profiles(self) -> list[SavedProfile]:
        """Every registered talent who agreed to be recommended."""
        with self.db.begin() as db:
            rows = db.execute(select(*_PROFILE).where(P.c.opt_in.is_(True)).order_by(P.c.user_id)).all()
        return [_profile(row) for row in rows]

    # --- postings -------------------------------------------------------------------------------------------
    def add_posting(self, employer_id: int, company: str, job: JobPosting, check: PostingCheck,
                    acknowledged: list[str]) -> MarketPosting:
        """Store a posting that passed (or was acknowledged through) the posting check; its id is assigned here."""
        with self.db.begin() as db:
            posting_id = inserted_id(db.execute(insert(J).values(
                employer_id=employer_id, company=company, job=job.model_dump_json(), checked=check.model_dump_json(),
                acknowledged=json.dumps(acknowledged), created=_now())))
            job = job.model_copy(update={"id": f"W{posting_id:06d}", "company": company, "source": "web"})
            db.execute(update(J).where(J.c.id == posting_id).values(job=job.model_dump_json()))
        return self.posting(posting_id, employer_id)

    def posting(self, posting_id: int, employer_id: int) -> MarketPosting:
        """One of this employer's postings; another employer's posting reads as not found."""
        if not 1 <= posting_id <= MAX_ID:
            raise RecordNotFoundError(f"没有找到编号为 {posting_id} 的岗位。")
        with self.db.begin() as db:
            row = db.execute(select(*_POSTING).where(J.c.id == posting_id, J.c.employer_id == employer_id)).first()
        if row is None:
            raise RecordNotFoundError(f"没有找到编号为 {posting_id} 的岗位。")
        return _posting(row)

    def postings(self, employer_id: int) -> list[MarketPosting]:
        """This employer's postings, newest first."""
        with self.db.begin() as db:
            rows = db.execute(select(*_POSTING).where(J.c.employer_id == employer_id).order_by(J.c.id.desc())).all()
        return [_posting(row) for row in rows]

    # --- invitations ----------------------------------------------------------------------------------------
    def invite(self, posting: MarketPosting, talent_ref: str, talent_user_id: int | None, message: str) -> Invitation:
        """Invite a candidate to interview for a posting; inviting the same candidate twice returns the first one."""
        with self.db.begin() as db:
            self.db.insert_ignore(db, I, {"posting_id": posting.id, "employer_id": posting.employer_id,
                                          "talent_ref": talent_ref, "talent_user_id": talent_user_id,
                                          "message": message, "status": "pending", "created": _now()})
            row = db.execute(_invitations().where(I.c.posting_id == posting.id, I.c.talent_ref == talent_ref)).one()
        return _invitation(row)

    def invitations_for_posting(self, posting: MarketPosting) -> dict[str, Invitation]:
        """The invitations of one posting by candidate reference."""
        with self.db.begin() as db:
            rows = db.execute(_invitations().where(I.c.posting_id == posting.id,
                                                   I.c.employer_id == posting.employer_id)).all()
        return {row[5]: _invitation(row) for row in rows}

    def invitations_for_talent(self, user_id: int) -> list[Invitation]:
        """Invitations addressed to a registered talent, newest first."""
        with self.db.begin() as db:
            rows = db.execute(_invitations().where(I.c.talent_user_id == user_id).order_by(I.c.id.desc())).all()
        return [_invitation(row) for row in rows]

    def decide(self, invitation_id: int, user_id: int, accept: bool) -> Invitation:
        """The talent accepts or declines; only their own pending invitations can be decided."""
        status: InvitationStatus = "accepted" if accept else "declined"
        if not 1 <= invitation_id <= MAX_ID:
            raise RecordNotFoundError(f"没有找到编号为 {invitation_id} 的邀约。")
        with self.db.begin() as db:
            row = db.execute(select(I.c.status).where(I.c.id == invitation_id, I.c.talent_user_id == user_id)
                             .with_for_update()).first()
            if row is None:
                raise RecordNotFoundError(f"没有找到编号为 {invitation_id} 的邀约。")
            if row.status != "pending":
                raise InvalidInputError("该邀约已处理，不能再次更改。")
            db.execute(update(I).where(I.c.id == invitation_id).values(status=status, decided=_now()))
            found = db.execute(_invitations().where(I.c.id == invitation_id)).one()
        return _invitation(found)


def _invitations() -> Select:
    return select(I.c.id, I.c.posting_id, I.c.employer_id, J.c.company, J.c.job, I.c.talent_ref, I.c.talent_user_id,
                  I.c.message, I.c.status, I.c.created, I.c.decided).join(J, J.c.id == I.c.posting_id)


def _profile(row: Any) -> SavedProfile:
    user_id, display_name, profile, contact, source, opt_in, updated = row
    return SavedProfile(user_id=user_id, display_name=display_name,
                        profile=TalentProfile.model_validate_json(profile),
                        contact=Contact.model_validate_json(contact), resume_source=source, opt_in=bool(opt_in),
                        updated=dt.datetime.fromisoformat(updated))


def _posting(row: Any) -> MarketPosting:
    posting_id, employer_id, company, job, checked, acknowledged, created = row
    return MarketPosting(id=posting_id, employer_id=employer_id, company=company,
                         job=JobPosting.model_validate_json(job),
                         check=PostingCheck.model_validate_json(checked), acknowledged=json.loads(acknowledged),
                         created=dt.datetime.fromisoformat(created))


def _invitation(row: Any) -> Invitation:
    (invitation_id, posting_id, employer_id, company, job, talent_ref, talent_user_id, message, status, created,
     decided) = row
    return Invitation(id=invitation_id, posting_id=posting_id, employer_id=employer_id, company=company,
                      job_title=JobPosting.model_validate_json(job).title, talent_ref=talent_ref,
                      talent_user_id=talent_user_id, message=message, status=status,
                      created=dt.datetime.fromisoformat(created),
                      decided=dt.datetime.fromisoformat(decided) if decided else None)
