"""/resume and its JSON API: upload, report, bad files, CSRF, saving the profile and opting in."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.web.market_support import (
    ANALYST,
    ENGINEER,
    MAX_BYTES,
    lines_of,
    market_app,
    market_settings,
    resume_docx,
    resume_pdf,
    signed_in,
    suggestion_lines,
    visitor,
)

VAGUE_LINE = "做了很多数据相关的工作"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return market_app(market_settings(tmp_path_factory.mktemp("resume-pages")))


def test_resume_page_shows_the_size_limit_and_library_titles(app: FastAPI) -> None:
    client, _ = visitor(app)
    page = client.get("/resume")
    assert page.status_code == 200
    assert f"最大 {MAX_BYTES / 1024 / 1024:g} MB" in page.text and "按文件内容识别类型" in page.text
    assert '<datalist id="target-titles"><option value="' in page.text
    assert "保存为我的求职档案" not in page.text  # only for logged-in talents


def test_anonymous_pdf_upload_puts_the_suggestion_beside_its_line(app: FastAPI) -> None:
    client, token = visitor(app)
    pdf = resume_pdf(lines_of(ANALYST))
    page = client.post("/resume", data={"csrf_token": token, "target": "数据分析师"},
                       files={"file": ("简历.pdf", pdf, "application/pdf")})
    assert page.status_code == 200, page.text
    flagged = suggestion_lines(page.text)
    assert VAGUE_LINE in flagged.values()
    number = next(n for n, text in flagged.items() if text == VAGUE_LINE)
    assert f'<div class="suggestion" data-line="{number}" data-category="weak_verb">' in page.text
    assert "示例改写" in page.text and 'id="resume-score"' in page.text


def test_api_review_of_a_docx_returns_the_whole_report(app: FastAPI) -> None:
    client, token = visitor(app)
    response = client.post("/api/resume/review", data={"target": "数据分析师"}, headers={"X-CSRF-Token": token},
                           files={"file": ("cv.docx", resume_docx(lines_of(ANALYST)), "application/octet-stream")})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["format"] == "docx" and 0 < report["score"] <= 100
    assert {c["name"] for c in report["components"]} == {"completeness", "quantification", "wording", "dates",
                                                         "privacy", "skills"}
    assert sum(c["points"] for c in report["components"]) == report["score"]
    tied = [(line["text"], s["category"]) for line in report["lines"] for s in line["suggestions"]]
    assert (VAGUE_LINE, "weak_verb") in tied
    assert report["target_skills"], "the library's 数据分析师 postings give target skills"
    coverage = report["skills"]
    assert set(coverage["present"]) | set(coverage["buried"]) | set(coverage["missing"]) == set(report["target_skills"])
    assert report["jobs"] and all(job["job"]["id"].startswith("J") for job in report["jobs"])
    assert report["policies"], report["policies_note"]
    assert report["policies"][0]["doc_id"].startswith("test-") and report["policies"][0]["n"] == 1


def test_pasted_postings_are_the_target(app: FastAPI) -> None:
    client, token = visitor(app)
    postings = "招聘数据分析师，熟悉Python、SQL、Tableau\n\n数据分析岗位，要求SQL、Excel、Python"
    response = client.post("/api/resume/review", data={"postings": postings}, headers={"X-CSRF-Token": token},
                           files={"file": ("cv.txt", ANALYST.read_bytes(), "text/plain")})
    report = response.json()
    assert {"Python", "SQL"} <= set(report["target_skills"])
    assert {"Python", "SQL"} <= set(report["skills"]["present"])


def test_target_skills_api_reads_the_library(app: FastAPI) -> None:
    client, _ = visitor(app)
    body = client.get("/api/resume/target-skills", params={"title": "数据分析师"}).json()
    assert body["report"]["postings"] >= 1 and body["report"]["skills"]
    assert client.get("/api/resume/target-skills", params={"title": "不存在的岗位名称"}).json()["report"] is None


BAD_FILES = [
    pytest.param("cv.pdf", b"%PDF-1.7\n1 0 obj <<>> garbage", "已损坏", id="corrupt-pdf"),
    pytest.param("cv.txt", b"", "空的", id="empty"),
    pytest.param("cv.txt", "简历".encode() * (MAX_BYTES // 6 + 10), "太大", id="oversize"),
    pytest.param("cv.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "PNG 图片", id="image-named-pdf"),
    pytest.param("cv.docx", b"MZ\x90\x00" + b"\x00" * 200, "可执行程序", id="executable"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_bad_uploads_get_a_chinese_json_error(app: FastAPI, name: str, data: bytes, message: str) -> None:
    client, token = visitor(app)
    response = client.post("/api/resume/review", headers={"X-CSRF-Token": token}, files={"file": (name, data)})
    assert response.status_code == 422
    assert response.json()["error"] == "document_unreadable" and message in response.json()["detail"]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES[:2])
def test_bad_uploads_on_the_page_keep_the_form(app: FastAPI, name: str, data: bytes, message: str) -> None:
    client, token = visitor(app)
    page = client.post("/resume", data={"csrf_token": token, "target": "会计"}, files={"file": (name, data)})
    assert page.status_code == 422
    assert 'id="resume-error"' in page.text and message in page.text and 'value="会计"' in page.text
    assert "Traceback" not in page.text


def test_missing_csrf_is_refused(app: FastAPI) -> None:
    client, _ = visitor(app)
    files = {"file": ("cv.txt", ENGINEER.read_bytes())}
    api = client.post("/api/resume/review", files=files)
    assert api.status_code == 403 and api.json()["error"] == "csrf_failed"
    page = client.post("/resume", data={"csrf_token": "forged"}, files=files)
    assert page.status_code == 403 and "请刷新页面" in page.text


def test_talent_saves_the_profile_and_opts_in(app: FastAPI) -> None:
    client, token = signed_in(app, "talent-resume", "talent", "陈思远")
    assert "保存为我的求职档案" in client.get("/resume").text
    assert client.get("/api/talent/profile").json() == {"profile": None, "invitations": []}
    page = client.post("/resume", data={"csrf_token": token, "save": "true", "opt_in": "true"},
                       files={"file": ("analyst.txt", ANALYST.read_bytes())})
    assert page.status_code == 200 and "已保存为你的求职档案，并同意向招聘方推荐" in page.text
    saved = client.get("/api/talent/profile").json()["profile"]
    assert saved["opt_in"] and saved["profile"]["current_title"] == "数据分析师"
    assert saved["contact"]["phones"] == ["13700001111"]
    opted_out = client.post("/api/talent/opt-in", json={"opt_in": False}, headers={"X-CSRF-Token": token})
    assert opted_out.json()["opt_in"] is False
    form = client.post("/resume/opt-in", data={"csrf_token": token, "opt_in": "true"})
    assert form.status_code == 303 and client.get("/api/talent/profile").json()["profile"]["opt_in"] is True


def test_saving_through_the_api_and_opting_in_without_a_profile(app: FastAPI) -> None:
    client, token = signed_in(app, "talent-api", "talent")
    refused = client.post("/api/talent/opt-in", json={"opt_in": True}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422 and "还没有保存求职档案" in refused.json()["detail"]
    saved = client.post("/api/talent/profile", data={"opt_in": "false"}, headers={"X-CSRF-Token": token},
                        files={"file": ("cv.pdf", resume_pdf(lines_of(ENGINEER)))})
    assert saved.status_code == 200 and saved.json()["opt_in"] is False
    assert "Kafka" in saved.json()["profile"]["skills"]


@pytest.mark.parametrize(("method", "path"), [("get", "/api/talent/profile"), ("post", "/api/talent/opt-in")])
def test_talent_apis_need_a_talent(app: FastAPI, method: str, path: str) -> None:
    anonymous, token = visitor(app)
    response = getattr(anonymous, method)(path, headers={"X-CSRF-Token": token},
                                          **({"json": {"opt_in": True}} if method == "post" else {}))
    assert response.status_code == 401
    employer, token = signed_in(app, "employer-resume", "employer")
    response = getattr(employer, method)(path, headers={"X-CSRF-Token": token},
                                         **({"json": {"opt_in": True}} if method == "post" else {}))
    assert response.status_code == 403 and response.json()["error"] == "forbidden"


def test_opt_in_page_redirects_anonymous_visitors_to_login(app: FastAPI, tmp_path: Path) -> None:
    client, token = visitor(app)
    response = client.post("/resume/opt-in", data={"csrf_token": token, "opt_in": "true"})
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=/resume/opt-in")


def test_resume_text_is_escaped_on_the_page(app: FastAPI) -> None:
    client, token = visitor(app)
    text = ANALYST.read_text(encoding="utf-8") + "\n<script>alert('x')</script> 负责数据治理\n"
    page = client.post("/resume", data={"csrf_token": token}, files={"file": ("cv.txt", text.encode())})
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "&lt;script&gt;alert" in page.text
