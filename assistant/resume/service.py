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
from assistant.skills.service import SkillService, TargetSkills


class ResumeDocument(BaseModel):
    """What every feature reads of one résumé: its lines, sections and fields, computed once."""

    parsed: ParsedResume
    sections: list[Section]
    fields: ResumeFields


class ResumeService:
    """Reads résumés within the configured size limit and reviews them against a target's skills."""

    def __init__(self, settings: Settings, skills: SkillService) -> None:
        self.settings = settings
        self.skills = skills

    def read(self, data: bytes, filename: str) -> ResumeDocument:
        """Parse uploaded bytes (format from the content) into a document, fields dated as of the settings' today."""
        return self.document(parse_resume_bytes(data, filename or "resume", max_bytes=self.settings.resume_max_bytes))

    def read_file(self, path: Path) -> ResumeDocument:
        """Like `read`, for a file on disk (the CLI)."""
        return self.document(load_resume(path, max_bytes=self.settings.resume_max_bytes))

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
