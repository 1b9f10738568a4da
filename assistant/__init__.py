"""人才 AI 管家: talent-policy answers, job matching and résumé help, offline first."""

__version__ = "0.1.0"
