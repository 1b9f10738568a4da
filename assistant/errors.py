"""Domain errors: one hierarchy, mapped once to HTTP statuses (web) and once to exit codes (CLI)."""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error a user can cause or meet; its message is shown to them as is."""

    http_status = 500
    exit_code = 1


class InvalidInputError(AssistantError):
    """The request itself is unusable (empty question, too long, unsupported option)."""

    http_status = 422
    exit_code = 2


class DocumentLoadError(AssistantError):
    """A document could not be read (corrupt, encrypted, empty, unsupported format)."""

    http_status = 422
    exit_code = 3


class IndexNotReadyError(AssistantError):
    """Nothing has been indexed yet: run `assistant ingest` first."""

    http_status = 503
    exit_code = 4


class IndexBusyError(AssistantError):
    """Another process is writing the index right now."""

    http_status = 409
    exit_code = 5


class BackendUnavailableError(AssistantError):
    """A configured backend (Chroma server, embedding model) cannot be reached or loaded."""

    http_status = 503
    exit_code = 6
