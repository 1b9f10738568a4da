"""A logged-in talent's saved target is the default of /resume and its API; other visitors get none."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.web.market_support import ANALYST, market_app, market_settings, signed_in, visitor


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return market_app(market_settings(tmp_path_factory.mktemp("saved-target")))


def test_the_saved_target_is_used_until_another_is_named(app: FastAPI) -> None:
    client, token = signed_in(app, "talent-target", "talent", "周宁")
    files = {"file": ("analyst.txt", ANALYST.read_bytes())}
    saved = client.post("/resume", data={"csrf_token": token, "target": "高级数据分析师", "save": "true"}, files=files)
    assert saved.status_code == 200 and "已保存为你的求职档案" in saved.text
    assert client.get("/api/talent/profile").json()["profile"]["profile"]["desired_titles"][0] == "高级数据分析师"
    assert 'name="target" list="target-titles" maxlength="100" value="高级数据分析师"' in client.get("/resume").text

    headers = {"X-CSRF-Token": token}
    by_default = client.post("/api/resume/review", headers=headers, files=files).json()
    named = client.post("/api/resume/review", data={"target": "Java开发工程师"}, headers=headers, files=files).json()
    assert by_default["target"] == "高级数据分析师" and named["target"] == "Java开发工程师"
    assert by_default["target_skills"] != named["target_skills"]
    page = client.post("/resume", data={"csrf_token": token}, files=files)
    assert "目标：高级数据分析师" in page.text

    anonymous, anonymous_token = visitor(app)
    report = anonymous.post("/api/resume/review", headers={"X-CSRF-Token": anonymous_token}, files=files).json()
    assert report["target"] is None


def test_the_saved_resume_is_reviewed_on_resume_and_in_the_chat_without_uploading(app: FastAPI) -> None:
    client, token = signed_in(app, "talent-saved", "talent", "林夏")
    files = {"file": ("analyst.txt", ANALYST.read_bytes())}
    refused = client.post("/resume", data={"csrf_token": token})  # nothing saved yet, no file: asked for one
    assert refused.status_code == 422 and "请选择简历文件" in refused.text
    client.post("/resume", data={"csrf_token": token, "target": "高级数据分析师", "save": "true"}, files=files)
    expected = client.post("/api/resume/review", headers={"X-CSRF-Token": token}, files=files).json()

    page = client.get("/resume").text
    assert 'id="saved-resume-hint"' in page and "analyst.txt" in page
    # The browser sends an empty file part when no file is chosen.
    reviewed = client.post("/resume", data={"csrf_token": token}, files={"file": ("", b"")})
    assert reviewed.status_code == 200, reviewed.text
    assert f'<span class="score" id="resume-score">{expected["score"]}</span>' in reviewed.text
    assert "目标：高级数据分析师" in reviewed.text

    reply = client.post("/api/chat", json={"message": "帮我看看我的简历"}, headers={"X-CSRF-Token": token}).json()
    out = next(r["output"] for r in reply["results"] if r["tool"] == "review_resume")
    assert out["filename"] == "analyst.txt" and out["target_job"] == "高级数据分析师"
    assert out["score"] == expected["score"]
    assert {c["name"]: c["points"] for c in expected["components"]} == out["components"]
    assert len(out["suggestions"]) == expected["suggestion_count"]

    # Someone else's chat never sees it.
    other, other_token = signed_in(app, "talent-other", "talent")
    reply = other.post("/api/chat", json={"message": "帮我看看我的简历"}, headers={"X-CSRF-Token": other_token}).json()
    assert not any(r["tool"] == "review_resume" and r["output"].get("filename") for r in reply["results"])
