"""What every command shares: the services of the configured settings, built the one way `build_app` builds them."""

from __future__ import annotations

from assistant.app import App, build_app
from assistant.config import load_settings


def services(**overrides: object) -> App:
    """The application's services for these settings (each opens its data lazily, so building is cheap)."""
    return build_app(load_settings(**overrides))
