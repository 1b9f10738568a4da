"""SQLite store of the talent market (`talent_market.sqlite` in the data directory); every write is one transaction."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from assistant.errors import InvalidInputError
from assistant.jobs.fairness import PostingCheck
from assistant.jobs.models import JobPosting, TalentProfile
from assistant.market.models import Contact, Invitation, InvitationStatus, MarketPosting, SavedProfile

STORE_FILE = "talent_market.sqlite"
MAX_ID = 2**63 - 1  # the largest SQLite INTEGER: a larger id names no record (and would overflow the driver)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS profiles (
    user_id INTEGER PRIMARY KEY, display_name TEXT NOT NULL, profile TEXT NOT NULL, contact TEXT NOT NULL,
    resume_source TEXT NOT NULL, opt_in INTEGER NOT NULL DEFAULT 0, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS postings (
    id INTEGER PRIMARY KEY AUTOINCREMENT, employer_id INTEGER NOT NULL, company TEXT NOT NULL, job TEXT NOT NULL,
    checked TEXT NOT NULL, acknowledged TEXT NOT NULL, created TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS postings_by_employer ON postings (employer_id);
CREATE TABLE IF NOT EXISTS invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT, posting_id INTEGER NOT NULL REFERENCES postings(id),
    employer_id INTEGER NOT NULL, talent_ref TEXT NOT NULL, talent_user_id INTEGER, message TEXT NOT NULL,
    status TEXT NOT NULL, created TEXT NOT NULL, decided TEXT, UNIQUE (posting_id, talent_ref));
CREATE INDEX IF NOT EXISTS invitations_by_talent ON invitations (talent_user_id);
"""
_INVITATION_COLUMNS = ("i.id, i.posting_id, i.employer_id, p.company, p.job, i.talent_ref, i.talent_user_id, "
                       "i.message, i.status, i.created, i.decided")


class RecordNotFoundError(InvalidInputError):
    """A posting or invitation that does not exist or belongs to someone else (read as not found, never forbidden)."""

    http_status = 404


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class MarketStore:
    """Profiles, postings and invitations; a short-lived connection per call, so web threads never share one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._transaction() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10)) as db:
            db.execute("PRAGMA foreign_keys = ON")
            with db:  # commits on success, rolls back on any exception
                yield db

    # --- profiles -------------------------------------------------------------------------------------------
    def save_profile(self, user_id: int, display_name: str, profile: TalentProfile, contact: Contact,
                     resume_source: str, opt_in: bool) -> SavedProfile:
        """Create or replace a talent's profile."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO profiles VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET "
                "display_name = excluded.display_name, profile = excluded.profile, contact = excluded.contact, "
                "resume_source = excluded.resume_source, opt_in = excluded.opt_in, updated = excluded.updated",
                (user_id, display_name, profile.model_dump_json(), contact.model_dump_json(), resume_source,
                 int(opt_in), _now()),
            )
        return self.profile(user_id)  # type: ignore[return-value]

    def profile(self, user_id: int) -> SavedProfile | None:
        """A talent's saved profile, or None."""
        with self._transaction() as db:
            row = db.execute("SELECT * FROM profiles WHERE user_id = ?", (user_id,)).fetchone()
        return _profile(row) if row else None

    def set_opt_in(self, user_id: int, opt_in: bool) -> SavedProfile:
        """Turn recommendation to employers on or off; InvalidInputError without a saved profile."""
        with self._transaction() as db:
            changed = db.execute("UPDATE profiles SET opt_in = ?, updated = ? WHERE user_id = ?",
                                 (int(opt_in), _now(), user_id)).rowcount
        if not changed:
            raise InvalidInputError("还没有保存求职档案：请先上传简历并保存为档案。")
        return self.profile(user_id)  # type: ignore[return-value]

    def opted_in_profiles(self) -> list[SavedProfile]:
        """Every registered talent who agreed to be recommended."""
        with self._transaction() as db:
            rows = db.execute("SELECT * FROM profiles WHERE opt_in = 1 ORDER BY user_id").fetchall()
        return [_profile(row) for row in rows]

    # --- postings -------------------------------------------------------------------------------------------
    def add_posting(self, employer_id: int, company: str, job: JobPosting, check: PostingCheck,
                    acknowledged: list[str]) -> MarketPosting:
        """Store a posting that passed (or was acknowledged through) the posting check; its id is assigned here."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO postings (employer_id, company, job, checked, acknowledged, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (employer_id, company, job.model_dump_json(), check.model_dump_json(), json.dumps(acknowledged),
                 _now()),
            )
            posting_id = int(cursor.lastrowid or 0)
            job = job.model_copy(update={"id": f"W{posting_id:06d}", "company": company, "source": "web"})
            db.execute("UPDATE postings SET job = ? WHERE id = ?", (job.model_dump_json(), posting_id))
        return self.posting(posting_id, employer_id)

    def posting(self, posting_id: int, employer_id: int) -> MarketPosting:
        """One of this employer's postings; another employer's posting reads as not found."""
        if not 1 <= posting_id <= MAX_ID:
            raise RecordNotFoundError(f"没有找到编号为 {posting_id} 的岗位。")
        with self._transaction() as db:
            row = db.execute("SELECT * FROM postings WHERE id = ? AND employer_id = ?",
                             (posting_id, employer_id)).fetchone()
        if row is None:
            raise RecordNotFoundError(f"没有找到编号为 {posting_id} 的岗位。")
        return _posting(row)

    def postings(self, employer_id: int) -> list[MarketPosting]:
        """This employer's postings, newest first."""
        with self._transaction() as db:
            rows = db.execute("SELECT * FROM postings WHERE employer_id = ? ORDER BY id DESC",
                              (employer_id,)).fetchall()
        return [_posting(row) for row in rows]

    # --- invitations ----------------------------------------------------------------------------------------
    def invite(self, posting: MarketPosting, talent_ref: str, talent_user_id: int | None, message: str) -> Invitation:
        """Invite a candidate to interview for a posting; inviting the same candidate twice returns the first one."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO invitations (posting_id, employer_id, talent_ref, talent_user_id, message, "
                "status, created) VALUES (?, ?, ?, ?, ?, 'pending', ?)",
                (posting.id, posting.employer_id, talent_ref, talent_user_id, message, _now()),
            )
            row = db.execute(f"SELECT {_INVITATION_COLUMNS} FROM invitations i JOIN postings p ON p.id = i.posting_id "
                             "WHERE i.posting_id = ? AND i.talent_ref = ?", (posting.id, talent_ref)).fetchone()
        return _invitation(row)

    def invitations_for_posting(self, posting: MarketPosting) -> dict[str, Invitation]:
        """The invitations of one posting by candidate reference."""
        with self._transaction() as db:
            rows = db.execute(f"SELECT {_INVITATION_COLUMNS} FROM invitations i JOIN postings p ON p.id = i.posting_id "
                              "WHERE i.posting_id = ? AND i.employer_id = ?",
                              (posting.id, posting.employer_id)).fetchall()
        return {row[5]: _invitation(row) for row in rows}

    def invitations_for_talent(self, user_id: int) -> list[Invitation]:
        """Invitations addressed to a registered talent, newest first."""
        with self._transaction() as db:
            rows = db.execute(f"SELECT {_INVITATION_COLUMNS} FROM invitations i JOIN postings p ON p.id = i.posting_id "
                              "WHERE i.talent_user_id = ? ORDER BY i.id DESC", (user_id,)).fetchall()
        return [_invitation(row) for row in rows]

    def decide(self, invitation_id: int, user_id: int, accept: bool) -> Invitation:
        """The talent accepts or declines; only their own pending invitations can be decided."""
        status: InvitationStatus = "accepted" if accept else "declined"
        if not 1 <= invitation_id <= MAX_ID:
            raise RecordNotFoundError(f"没有找到编号为 {invitation_id} 的邀约。")
        with self._transaction() as db:
            row = db.execute("SELECT status FROM invitations WHERE id = ? AND talent_user_id = ?",
                             (invitation_id, user_id)).fetchone()
            if row is None:
                raise RecordNotFoundError(f"没有找到编号为 {invitation_id} 的邀约。")
            if row[0] != "pending":
                raise InvalidInputError("该邀约已处理，不能再次更改。")
            db.execute("UPDATE invitations SET status = ?, decided = ? WHERE id = ?", (status, _now(), invitation_id))
            found = db.execute(f"SELECT {_INVITATION_COLUMNS} FROM invitations i "
                               "JOIN postings p ON p.id = i.posting_id WHERE i.id = ?", (invitation_id,)).fetchone()
        return _invitation(found)


def _profile(row: tuple) -> SavedProfile:
    user_id, display_name, profile, contact, source, opt_in, updated = row
    return SavedProfile(user_id=user_id, display_name=display_name,
                        profile=TalentProfile.model_validate_json(profile),
                        contact=Contact.model_validate_json(contact), resume_source=source, opt_in=bool(opt_in),
                        updated=dt.datetime.fromisoformat(updated))


def _posting(row: tuple) -> MarketPosting:
    posting_id, employer_id, company, job, checked, acknowledged, created = row
    return MarketPosting(id=posting_id, employer_id=employer_id, company=company,
                         job=JobPosting.model_validate_json(job),
                         check=PostingCheck.model_validate_json(checked), acknowledged=json.loads(acknowledged),
                         created=dt.datetime.fromisoformat(created))


def _invitation(row: tuple) -> Invitation:
    (invitation_id, posting_id, employer_id, company, job, talent_ref, talent_user_id, message, status, created,
     decided) = row
    return Invitation(id=invitation_id, posting_id=posting_id, employer_id=employer_id, company=company,
                      job_title=JobPosting.model_validate_json(job).title, talent_ref=talent_ref,
                      talent_user_id=talent_user_id, message=message, status=status,
                      created=dt.datetime.fromisoformat(created),
                      decided=dt.datetime.fromisoformat(decided) if decided else None)
