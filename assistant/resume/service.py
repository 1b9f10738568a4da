"""ResumeService: a résumé read once (parsed, sectioned, fields as of `today`), and its review against a target."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from assistant.config import Settings
from assistant.resume.fields import extract_fields
from assistant.resume.models import ParsedResume, ResumeFields, ResumeReview, Section
from assistant.resume.parsing import load_resume, parse_resume_bytes
from assistant.resume.review import review_resume
from assistant.resume.sections import split_sections
from assistant.retrieval.limits import FileLimits
from assistant.retrieval.ocr import run_with_ocr
from assistant.retrieval.worker import ParseWorker
from assistant.skills.service import SkillService, TargetSkills


class ResumeDocument(BaseModel):
    """What every feature reads of one résumé: its lines, sections and fields, computed once."""

    parsed: ParsedResume
    sections: list[Section]
    fields: ResumeFields


class ResumeService:
    """Reads résumés within the configured limits and reviews them against a target's skills.

    Parsing runs in the `ParseWorker` (a child process under the configured time limit) that the composition root
    shares with the corpus ingest; without one, the service starts its own from the settings.
    """

    def __init__(self, settings: Settings, skills: SkillService, parsing: ParseWorker | None = None) -> None:
        self.settings = settings
        self.skills = skills
        self.parsing = parsing or ParseWorker.from_settings(settings)
        self.parsing.preload(parse_resume_bytes.__module__)
        self.limits: FileLimits = self.parsing.limits.with_max_bytes(settings.resume_max_bytes)

    def read(self, data: bytes, filename: str) -> ResumeDocument:
        """Parse uploaded bytes (format from the content) into a document, fields dated as of the settings' today.

        Raises DocumentLoadError (422) for any file that cannot be read, is beyond the limits or parses too long.
        """
        name = filename or "resume"
        parsed = run_with_ocr(self.parsing, parse_resume_bytes, data, name, name=name,
                              max_bytes=self.settings.resume_max_bytes, limits=self.limits)
        return self.document(parsed)

    def read_file(self, path: Path) -> ResumeDocument:
        """Like `read`, for a file on disk (the CLI)."""
        parsed = run_with_ocr(self.parsing, load_resume, path, name=path.name,
                              max_bytes=self.settings.resume_max_bytes, limits=self.limits)
        return self.document(parsed)

    def document(self, parsed: ParsedResume, fields: ResumeFields | None = None) -> ResumeDocument:
        """Sections and fields of an already parsed résumé.

        `fields` already read from it (a chat session's) are kept.
        """
        sections = split_sections(parsed.lines)
        if fields is None:
            fields = extract_fields(parsed, sections, today=self.settings.current_date(), matcher=self.skills.matcher())
        return ResumeDocument(parsed=parsed, sections=sections, fields=fields)

    def review(self, document: ResumeDocument, target: str | None = None,
               postings: Sequence[str] = ()) -> tuple[ResumeReview, TargetSkills]:
        """Score and suggestions against the target's skills (one rule: SkillService.target_skills)."""
        wanted = self.skills.target_skills(target, postings)
        review = review_resume(document.parsed, target_skills=wanted.skills, target_note=wanted.note,
                               today=self.settings.current_date(), sections=document.sections, fields=document.fields)
        return review, wanted
