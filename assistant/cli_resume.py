"""`assistant resume …` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="resume", no_args_is_help=True)
