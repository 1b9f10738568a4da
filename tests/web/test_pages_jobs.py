"""/jobs and /jobs/{id} with their JSON API: search, filters, pages, a job's skills and the talent's match."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.market_support import ANALYST, market_app, market_settings, signed_in, visitor
from web.serving import start_warm_up


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return market_app(market_settings(tmp_path_factory.mktemp("jobs-pages")))


def test_jobs_page_lists_the_library_twenty_at_a_time(app: FastAPI) -> None:
    client, _ = visitor(app)
    page = client.get("/jobs")
    assert page.status_code == 200 and "共 300 个岗位，第 1 / 15 页" in page.text
    assert page.text.count('<article class="card job-card">') == 20 and 'rel="next"' in page.text
    second = client.get("/api/jobs", params={"page": 2}).json()
    first = client.get("/api/jobs").json()
    assert second["page"] == 2 and {j["id"] for j in second["jobs"]}.isdisjoint({j["id"] for j in first["jobs"]})


def test_filters_narrow_the_results(app: FastAPI) -> None:
    client, _ = visitor(app)
    facets = client.get("/api/jobs/facets").json()
    industry, district = facets["industries"][0], facets["districts"][0]
    body = client.get("/api/jobs", params={"industry": industry, "district": district, "page_size": 100}).json()
    assert 0 < body["total"] < 300
    assert all(j["industry"] == industry and j["district"] == district for j in body["jobs"])
    associate = client.get("/api/jobs", params={"education": 2}).json()
    assert all(j["education"] in {"学历不限", "高中/中专", "大专"} for j in associate["jobs"])
    rich = client.get("/api/jobs", params={"salary_min": 30000}).json()
    assert rich["total"] < 300
    page = client.get("/jobs", params={"industry": industry})
    assert f"<option selected>{industry}</option>" in page.text


def test_keyword_search_matches_titles_and_skills(app: FastAPI) -> None:
    client, _ = visitor(app)
    body = client.get("/api/jobs", params={"q": "工程师"}).json()
    assert body["total"] > 0 and all("工程师" in j["title"] or j["skills"] for j in body["jobs"])
    assert client.get("/api/jobs", params={"q": "完全不存在的词组"}).json()["total"] == 0
    assert "没有符合条件的岗位" in client.get("/jobs", params={"q": "完全不存在的词组"}).text


def test_unusable_filters_are_a_chinese_error(app: FastAPI) -> None:
    client, _ = visitor(app)
    response = client.get("/api/jobs", params={"education": "x"})
    assert response.status_code == 422 and "筛选条件无效" in response.json()["detail"]
    assert client.get("/jobs", params={"page": "abc"}).status_code == 422


def test_job_page_shows_high_frequency_skills_and_asks_anonymous_to_log_in(app: FastAPI) -> None:
    client, _ = visitor(app)
    job_id = client.get("/api/jobs").json()["jobs"][0]["id"]
    page = client.get(f"/jobs/{job_id}")
    assert page.status_code == 200 and "的高频技能" in page.text and "出现比例" in page.text
    assert "以人才身份登录" in page.text
    detail = client.get(f"/api/jobs/{job_id}").json()
    assert detail["skills"]["postings"] >= 1 and detail["match"] is None


def test_unknown_job_is_not_found(app: FastAPI) -> None:
    client, _ = visitor(app)
    assert client.get("/api/jobs/NOPE").status_code == 404
    page = client.get("/jobs/NOPE")
    assert page.status_code == 404 and "没有编号为 NOPE" in page.text


def test_talent_with_a_profile_sees_the_match_explained(app: FastAPI) -> None:
    client, token = signed_in(app, "talent-jobs", "talent", "陈思远")
    job_id = client.get("/api/jobs", params={"q": "数据分析师"}).json()["jobs"][0]["id"]
    assert "保存求职档案后" in client.get(f"/api/jobs/{job_id}").json()["match_note"]
    client.post("/api/talent/profile", data={"opt_in": "false"}, headers={"X-CSRF-Token": token},
                files={"file": ("analyst.txt", ANALYST.read_bytes())})
    match = client.get(f"/api/jobs/{job_id}").json()["match"]
    assert len(match["dimensions"]) == 22 and 0 < match["score"] <= 1
    page = client.get(f"/jobs/{job_id}")
    assert "综合匹配度" in page.text and "dimension-bars" in page.text


def test_employer_sees_no_match_section(app: FastAPI) -> None:
    client, _ = signed_in(app, "employer-jobs", "employer")
    job_id = client.get("/api/jobs").json()["jobs"][0]["id"]
    assert "逐项匹配说明仅对人才账号显示" in client.get(f"/jobs/{job_id}").text


def test_without_a_library_the_pages_say_so(tmp_path_factory: pytest.TempPathFactory) -> None:
    bare = market_app(market_settings(tmp_path_factory.mktemp("no-library"), with_library=False))
    client, _ = visitor(bare)
    page = client.get("/jobs")
    assert page.status_code == 503 and "岗位人才库尚未建立" in page.text
    assert client.get("/api/jobs").json()["error"] == "index_not_ready"
    assert client.get("/resume").status_code == 200


def test_serving_warms_the_catalogue_in_the_background(tmp_path_factory: pytest.TempPathFactory) -> None:
    warmed = market_app(market_settings(tmp_path_factory.mktemp("warm")))
    start_warm_up(warmed).join(120)  # as `assistant serve` does: the market's catalogue and skill index, then the chat
    assert warmed.state.warming_up is False
    assert TestClient(warmed).get("/api/jobs").json()["total"] == 300
