"""What a chat message says about a person or a job: district, degree, major, role, skills, years."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.skills.extraction import extract_skills
from assistant.vocab.education import Education
from assistant.vocab.entities import find_degree, find_district, find_major, find_role, find_years


@dataclass
class Mentions:
    """Facts a message states; empty fields were not mentioned."""

    district: str | None = None
    degree: Education | None = None
    major: str | None = None
    role: str | None = None
    years: float | None = None
    skills: list[str] = field(default_factory=list)

    def any_profile(self) -> bool:
        """True when the message describes a person or a job at all."""
        return bool(self.degree is not None or self.major or self.role or self.skills or self.years is not None)


def find_skills(text: str) -> list[str]:
    """Skills of the skill lexicon a text names."""
    return list(dict.fromkeys(mention.name for mention in extract_skills(text)))


def mentions(text: str) -> Mentions:
    """Everything a message states about a profile or a posting."""
    return Mentions(district=find_district(text), degree=find_degree(text), major=find_major(text),
                    role=find_role(text), years=find_years(text), skills=find_skills(text))
