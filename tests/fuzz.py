"""`make fuzz`: schemathesis against a live loopback server, anonymous and logged in as each demo role.

Bounded (a few examples per operation, a time budget per role); not part of `make test`. Fails when schemathesis
finds a 5xx or a response that breaks the OpenAPI schema (status code, content type, body).

    python -m tests.fuzz [--max-examples 8] [--max-time 40]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from assistant.accounts import DEMO_PASSWORD
from assistant.app import build_app
from assistant.config import load_settings
from assistant.jobs.library import build_library, library_dir
from assistant.policy.service import build_policy_service
from tests.live import serving
from web.app import create_app

REPO = Path(__file__).resolve().parents[1]
ROLES = ("anonymous", "talent", "employer", "staff")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# Logging out would end the session the rest of the run is testing with.
EXCLUDED = ("/api/auth/logout",)


def session_headers(base: str, role: str) -> list[str]:
    """The cookie and CSRF token of a fresh session, logged in as demo-ROLE unless anonymous."""
    with httpx.Client(base_url=base, timeout=30) as http:
        token = http.get("/api/me").json()["csrf_token"]
        if role != "anonymous":
            response = http.post("/api/auth/login", headers={"X-CSRF-Token": token},
                                 json={"username": f"demo-{role}", "password": DEMO_PASSWORD})
            response.raise_for_status()
            token = http.get("/api/me").json()["csrf_token"]
        cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
    return ["-H", f"Cookie: {cookie}", "-H", f"X-CSRF-Token: {token}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=8)
    parser.add_argument("--max-time", type=int, default=40, help="seconds per role")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    shutil.copytree(REPO / "tests" / "data" / "corpus", root / "corpus")
    settings = load_settings(data_dir=root / "data", corpus_dir=root / "corpus", embedding_provider="none",
                             today=dt.date(2026, 11, 22), demo=True, web_rate_limit_per_minute=0)
    build_library(library_dir(settings.data_dir), postings=300, talents=300)
    policy = build_policy_service(settings)
    policy.ingest()
    schemathesis = Path(sys.executable).with_name("schemathesis")
    failed = False
    with serving(create_app(build_app(settings, policy=policy))) as base:
        # Every session first: the fuzzed login and sign-up operations soon meet the login rate limit.
        sessions = {role: session_headers(base, role) for role in ROLES}
        for role in ROLES:
            started = time.perf_counter()
            command = [str(schemathesis), "run", f"{base}/openapi.json", "--checks", CHECKS,
                       "--max-examples", str(args.max_examples), "--max-time", str(args.max_time),
                       "--seed", str(args.seed), "--request-timeout", "30", "--no-color",
                       "--generation-database", "none",
                       "--suppress-health-check", "all", *sessions[role]]
            for path in EXCLUDED:
                command += ["--exclude-path", path]
            print(f"== {role}: {' '.join(command[2:6])} …", flush=True)
            result = subprocess.run(command, check=False, text=True, capture_output=True, cwd=root)  # its files: tmp
            lines = result.stdout.splitlines()
            summary = [line for line in lines if any(word in line for word in (
                "passed", "failed", "error", "Operations", "Test cases", "Duration", "Failures", "Warnings"))]
            print("\n".join(summary[-12:]) or result.stdout[-3000:])
            if result.returncode != 0:
                failed = True
                print(result.stdout[-20000:], result.stderr[-3000:], sep="\n")
            print(f"== {role}: exit {result.returncode} in {time.perf_counter() - started:.0f} s", flush=True)
    shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
