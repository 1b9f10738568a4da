"""`EligibilityService`: conditions of the corpus documents (sidecars), a person's facts, verdicts, and notices."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.config import Settings
from assistant.eligibility.evaluation import SOON_DAYS, Evaluator, overlap
from assistant.eligibility.extraction import EXTRACTOR_VERSION, extract_conditions
from assistant.eligibility.facts import facts_from_profile, facts_from_resume, facts_from_text
from assistant.eligibility.models import ConditionSet, DocumentVerdict, EligibilityReport, PersonFacts, Verdict
from assistant.eligibility.sidecars import read_sidecar, sidecar_path, write_sidecar
from assistant.eligibility.store import InboxEntry, NoticeRow, NoticeStore, Subscription, stored_facts, stored_values
from assistant.errors import DocumentLoadError, InvalidInputError
from assistant.jobs.models import TalentProfile
from assistant.policy.service import PolicyService
from assistant.resume.service import ResumeDocument
from assistant.retrieval.documents import DocumentMeta
from assistant.retrieval.ingest import IngestReport, file_hash
from assistant.retrieval.loading import discover

STORE_FILE = "eligibility.sqlite"  # used only when no database is passed (tests, tools)
KINDS = ("policy", "announcement", "notice")  # policies, project calls, and events with registration conditions
TOP_QUESTIONS = 5


@dataclass
class _Entry:
    stamp: tuple[tuple[int, int], ...]
    path: Path
    meta: DocumentMeta
    conditions: ConditionSet
    from_sidecar: bool


class SyncReport(BaseModel):
    """What writing the sidecars did: written (new or re-extracted), kept (reviewed by staff), unchanged."""

    written: list[str] = Field(default_factory=list)
    kept_reviewed: list[str] = Field(default_factory=list)
    unchanged: int = 0
    failed: list[str] = Field(default_factory=list)
    notices: int = 0


class EligibilityService:
    """Reads every policy and project call's conditions (sidecar, else extracted), evaluates people against them,
    and tells opted-in talents about new or changed documents they qualify for."""

    def __init__(self, settings: Settings, policy: PolicyService, store: NoticeStore | None = None) -> None:
        self.settings = settings
        self.policy = policy
        self.store = store or NoticeStore(settings.data_dir / STORE_FILE)
        self.kinds: tuple[str, ...] = KINDS
        self._entries: dict[Path, _Entry] = {}
        self._guard = threading.Lock()

    # --- conditions ---------------------------------------------------------------------------------------
    def documents(self) -> list[tuple[DocumentMeta, ConditionSet]]:
        """Every policy and announcement with its conditions, re-read only when its files change."""
        corpus = self.settings.corpus_dir
        try:
            paths = discover(corpus)
        except DocumentLoadError:
            return []
        with self._guard:
            seen: set[Path] = set()
            for path in paths:
                seen.add(path)
                stamp = _stamp(path)
                entry = self._entries.get(path)
                if entry is None or entry.stamp != stamp:
                    try:
                        loaded = self._load(path, stamp)
                    except DocumentLoadError:
                        self._entries.pop(path, None)
                        continue
                    if loaded is not None:
                        self._entries[path] = loaded
            for gone in set(self._entries) - seen:
                del self._entries[gone]
            return [(e.meta, e.conditions) for e in sorted(self._entries.values(), key=lambda e: e.meta.id)
                    if e.meta.kind in self.kinds]

    def _load(self, path: Path, stamp: tuple[tuple[int, int], ...]) -> _Entry | None:
        document = self.policy.ingestor.load(path, self.settings.corpus_dir)
        digest = file_hash(path)
        sidecar = read_sidecar(sidecar_path(path))
        if sidecar is not None and (sidecar.reviewed or _current(sidecar, digest)):
            return _Entry(stamp, path, document.meta, sidecar, True)
        return _Entry(stamp, path, document.meta, extract_conditions(document, digest), False)

    def conditions(self, doc_id: str) -> tuple[DocumentMeta, ConditionSet, Path]:
        """One document's conditions and its sidecar's path (staff page)."""
        self.documents()
        for entry in self._entries.values():
            if entry.meta.id == doc_id:
                return entry.meta, entry.conditions, sidecar_path(entry.path)
        raise InvalidInputError(f"没有这个文件：{doc_id}")

    def save_reviewed(self, doc_id: str, conditions: ConditionSet, reviewer: str) -> ConditionSet:
        """Staff's corrected conditions, marked reviewed (re-ingest keeps them from now on)."""
        meta, current, path = self.conditions(doc_id)
        if conditions.doc_id != doc_id:
            raise InvalidInputError(f"doc_id 应为 {doc_id}")
        for condition in conditions.conditions:
            condition.doc_id = doc_id
        saved = conditions.model_copy(update={"reviewed": True, "reviewed_by": reviewer,
                                              "source_hash": current.source_hash, "title": meta.title})
        write_sidecar(path, saved)
        return saved

    def sync(self, doc_paths: list[str] | None = None) -> SyncReport:
        """Write the sidecar of every document (or of `doc_paths`, relative to the corpus) whose sidecar is missing
        or was read from other bytes; a reviewed sidecar is kept as staff left it."""
        report = SyncReport()
        corpus = self.settings.corpus_dir
        wanted = {corpus / p for p in doc_paths} if doc_paths is not None else None
        for path in discover(corpus):
            if wanted is not None and path not in wanted:
                continue
            relative = path.relative_to(corpus).as_posix()
            digest = file_hash(path)
            target = sidecar_path(path)
            existing = read_sidecar(target)
            if existing is not None and existing.reviewed:
                report.kept_reviewed.append(relative)
                continue
            if existing is not None and _current(existing, digest):
                report.unchanged += 1
                continue
            try:  # parsed only when its sidecar is to be written
                document = self.policy.ingestor.load(path, corpus)
            except DocumentLoadError as exc:
                report.failed.append(str(exc))
                continue
            if document.meta.kind in self.kinds:
                write_sidecar(target, extract_conditions(document, digest))
                report.written.append(relative)
        return report

    def after_ingest(self, ingest: IngestReport) -> SyncReport:
        """Called after every ingest: sidecars for added and changed documents, then notices about them."""
        touched = [*ingest.added, *ingest.changed]
        if not touched:
            return SyncReport()
        report = self.sync(touched)
        if self.store.opted_in():
            ids = {meta.id for meta, _ in self.documents() if _relative(meta) in touched}
            report.notices = self.notify(sorted(ids))
        return report

    # --- facts --------------------------------------------------------------------------------------------
    def today(self) -> dt.date:
        return self.settings.current_date()

    def facts_from_resume(self, document: ResumeDocument) -> PersonFacts:
        """Facts an uploaded résumé states (marked from_resume)."""
        return facts_from_resume(document.fields, document.parsed.text, self.today())

    def facts_from_text(self, text: str) -> PersonFacts:
        """Facts a message states (marked stated)."""
        if len(text) > self.settings.max_question_chars:
            raise InvalidInputError(f"描述太长（超过 {self.settings.max_question_chars} 字），请精简后再试。")
        return facts_from_text(text, self.today())

    def facts_from_profile(self, profile: TalentProfile) -> PersonFacts:
        """Facts of a talent's saved profile (marked profile)."""
        return facts_from_profile(profile)

    # --- evaluation ---------------------------------------------------------------------------------------
    def evaluate(self, facts: PersonFacts, doc_ids: list[str] | None = None) -> EligibilityReport:
        """Every policy and project call's verdict for these facts, 符合 first."""
        documents = self.documents()
        if doc_ids is not None:
            documents = [(m, c) for m, c in documents if m.id in doc_ids]
        verdicts = Evaluator(self.today()).all(documents, facts)
        counts = Counter(v.verdict for v in verdicts)
        asked = Counter(q for v in verdicts if v.verdict == "可能符合" for q in v.questions)
        return EligibilityReport(facts=facts, today=self.today(), verdicts=verdicts,
                                 questions=[q for q, _ in asked.most_common(TOP_QUESTIONS)],
                                 counts={k: counts.get(k, 0) for k in ("符合", "可能符合", "不符合")})

    def verdict(self, facts: PersonFacts, doc_id: str) -> DocumentVerdict | None:
        """One document's verdict (None: it states no condition about a person)."""
        meta, conditions, _ = self.conditions(doc_id)
        return Evaluator(self.today()).document(meta, conditions, facts)

    # --- notices ------------------------------------------------------------------------------------------
    def subscribe(self, user_id: int, facts: PersonFacts, opt_in: bool) -> Subscription:
        """Save the talent's facts for notices and whether they want them."""
        return self.store.subscribe(user_id, facts, opt_in)

    def subscription(self, user_id: int) -> Subscription | None:
        return self.store.subscription(user_id)

    def inbox(self, user_id: int) -> list[InboxEntry]:
        return self.store.inbox(user_id)

    def notify(self, doc_ids: list[str]) -> int:
        """Inbox entries for every opted-in talent whose saved facts evaluate to 符合 or 可能符合 on these documents;
        each distinct set of facts is evaluated once. Returns the number of new entries."""
        subscribers = self.store.opted_in()
        if not subscribers or not doc_ids:
            return 0
        documents = [(m, c) for m, c in self.documents() if m.id in set(doc_ids)]
        if not documents:
            return 0
        evaluator = Evaluator(self.today())
        today = self.today()
        done: dict[str, list[tuple[DocumentMeta, ConditionSet, Verdict, str]]] = {}
        deadlines: dict[tuple[str, str], dt.date | None] = {}
        rows: list[NoticeRow] = []
        for user_id, raw in subscribers:
            hits = done.get(raw)
            if hits is None:
                values, answers = stored_values(raw)
                built: list[PersonFacts] = []

                def facts(raw: str = raw, built: list[PersonFacts] = built) -> PersonFacts:
                    if not built:  # only when a condition meets these facts' values for the first time
                        built.append(stored_facts(raw))
                    return built[0]

                hits = [(m, c, *found) for m, c in documents
                        if (found := evaluator.quick_values(m, c, values, answers, facts)) is not None
                        and found[0] != "不符合"]
                done[raw] = hits
            for meta, conditions, verdict, track in hits:
                if (meta.id, track) not in deadlines:
                    deadlines[(meta.id, track)] = _deadline(meta, conditions, track, today)
                deadline = deadlines[(meta.id, track)]
                name = f"（{track}）" if track and not track.startswith("第") else ""
                summary = (f"按您保存的情况，{verdict}{name}，请打开逐条核对。" if verdict == "可能符合"
                           else f"按您保存的情况，已判断的条件均满足{name}，请打开核对原文。")
                rows.append(NoticeRow(user_id=user_id, doc_id=meta.id, version=conditions.source_hash[:16],
                                      title=meta.title, verdict=verdict, summary=summary, deadline=deadline,
                                      deadline_soon=deadline is not None and 0 <= (deadline - today).days <= SOON_DAYS))
        return self.store.add_notices(rows)


def _deadline(meta: DocumentMeta, conditions: ConditionSet, track: str, today: dt.date) -> dt.date | None:
    """The earliest open window's end for the programme (the document's deadline when it states no window)."""
    ends = []
    for c in conditions.conditions:
        if c.kind == "window" and (c.track in ("", track) or (track and overlap(c.track, track))):
            start, _, end = str(c.value).partition("/")
            if dt.date.fromisoformat(end) >= today:
                ends.append(dt.date.fromisoformat(end))
    return min(ends) if ends else meta.deadline


def _current(sidecar: ConditionSet, digest: str) -> bool:
    """Read from these bytes by the current rules."""
    return sidecar.source_hash == digest and sidecar.extractor == EXTRACTOR_VERSION


def _stamp(path: Path) -> tuple[tuple[int, int], ...]:
    out = []
    for candidate in (path, path.with_name(path.name + ".meta.yaml"), sidecar_path(path)):
        try:
            info = candidate.stat()
            out.append((info.st_mtime_ns, info.st_size))
        except OSError:
            out.append((0, 0))
    return tuple(out)


def _relative(meta: DocumentMeta) -> str:
    return meta.path
