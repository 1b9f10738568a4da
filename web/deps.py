"""The `TalentMarket` of an app, created on first use and cached on `app.state.talent_market`; warmed at start-up."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request

from assistant.market.service import TalentMarket

log = logging.getLogger(__name__)
_LOCK = threading.Lock()


def market_of(state: Any) -> TalentMarket:
    """The talent market over the app's assistant settings (one per app)."""
    with _LOCK:
        if getattr(state, "talent_market", None) is None:
            state.talent_market = TalentMarket(state.assistant.settings)
        return state.talent_market


def get_market(request: Request) -> TalentMarket:
    """FastAPI dependency: the app's talent market."""
    return market_of(request.app.state)


MarketDep = Annotated[TalentMarket, Depends(get_market)]


def _warm(app: FastAPI) -> None:
    # `assistant serve` may be building a missing job library (web/serving.py); warm what it builds.
    for thread in threading.enumerate():
        if thread.name == "job-library-build":
            thread.join()
    try:
        market_of(app.state).warm_up()
    except Exception:  # a background thread's boundary: the pages still work, only the first visitor waits longer
        log.warning("warming the job catalogue and skill index failed", exc_info=True)


@asynccontextmanager
async def warm_market(app: FastAPI) -> AsyncIterator[None]:
    """Lifespan of the pages' routers: read the job catalogue and skill index in the background once serving starts."""
    threading.Thread(target=_warm, args=(app,), name="talent-market-warm-up", daemon=True).start()
    yield
