"""`assistant skills …` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="skills", no_args_is_help=True)
