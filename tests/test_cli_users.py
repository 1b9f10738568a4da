"""`assistant users …` as an operator runs it: staff accounts exist only through this command (or demo mode)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from assistant.accounts import AccountStore


def users(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-m", "assistant.cli.main", "users", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_create_a_staff_account_then_log_in_with_it(tmp_path: Path) -> None:
    created = users(tmp_path, "create", "admin", "--role", "staff", "--name", "管理员",
                    stdin="s3cret-pass\ns3cret-pass\n")
    assert created.returncode == 0, created.stderr
    assert "已创建账号 admin" in created.stdout
    listed = users(tmp_path, "list")
    assert listed.stdout.split() == ["1", "admin", "staff", "管理员"]
    store = AccountStore(tmp_path / "data" / "assistant.sqlite")
    assert store.authenticate("admin", "s3cret-pass") is not None


def test_errors_are_one_chinese_line_and_an_exit_code(tmp_path: Path) -> None:
    users(tmp_path, "create", "admin", "--role", "staff", "--password", "s3cret-pass")
    taken = users(tmp_path, "create", "admin", "--role", "talent", "--password", "other-pass")
    assert taken.returncode == 2 and "已被注册" in taken.stderr and "Traceback" not in taken.stderr
    bad_role = users(tmp_path, "create", "boss", "--role", "admin", "--password", "s3cret-pass")
    assert bad_role.returncode == 2 and "未知的角色" in bad_role.stderr
    reset = users(tmp_path, "set-password", "admin", "--password", "new-pass-123")
    assert reset.returncode == 0
    assert AccountStore(tmp_path / "data" / "assistant.sqlite").authenticate("admin", "new-pass-123") is not None
