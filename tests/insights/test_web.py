"""The /insights page, its JSON API and downloads, per role (TestClient over the whole app)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from assistant.accounts import DEMO_PASSWORD
from assistant.app import build_app
from assistant.config import Settings
from web.app import create_app


@pytest.fixture(scope="module")
def app(library_settings: Settings):  # type: ignore[no-untyped-def]
    settings = library_settings.model_copy(update={"demo": True, "web_rate_limit_per_minute": 0})
    return create_app(build_app(settings))


@pytest.fixture
def client_as(app) -> Iterator[Callable[[str | None], TestClient]]:  # type: ignore[no-untyped-def]
    clients: list[TestClient] = []

    def make(role: str | None) -> TestClient:
        client = TestClient(app)
        clients.append(client)
        if role:
            token = client.get("/api/me").json()["csrf_token"]
            response = client.post("/api/auth/login", json={"username": f"demo-{role}", "password": DEMO_PASSWORD},
                                   headers={"X-CSRF-Token": token})
            assert response.status_code == 200, response.text
        return client

    yield make
    for client in clients:
        client.close()


@pytest.mark.parametrize("role", ["staff", "employer"])
def test_staff_and_employers_see_everything(client_as, role: str) -> None:  # type: ignore[no-untyped-def]
    page = client_as(role).get("/insights")
    assert page.status_code == 200
    html = page.text
    for chart in ("chains", "functions", "skills", "heat", "districts", "salary", "salary_histogram", "trends"):
        assert f'id="chart-{chart}"' in html
    assert 'id="heat-table"' in html and "<svg" in html and "以表格查看" in html
    assert "/insights/catalogue?format=xlsx" in html and "数据日期" in html
    body = client_as(role).get("/api/insights").json()
    assert {"heat", "salary_bands", "trends", "districts"} <= set(body)


@pytest.mark.parametrize("role", ["talent", None])
def test_talents_and_visitors_see_a_public_summary(client_as, role: str | None) -> None:  # type: ignore[no-untyped-def]
    client = client_as(role)
    html = client.get("/insights").text
    assert 'id="chart-chains"' in html and 'id="chart-functions"' in html
    assert 'id="chart-heat"' not in html and "/insights/catalogue" not in html and "公开摘要" in html
    body = client.get("/api/insights").json()
    assert set(body) == {"data_date", "method", "chain", "district", "totals", "chains", "functions", "skills"}
    assert len(body["functions"]) <= 10
    assert client.get("/insights/chart/heat.csv").status_code == 403
    catalogue = client.get("/insights/catalogue?format=csv", follow_redirects=False)
    assert catalogue.status_code in (302, 303, 401, 403)


def test_filters_change_the_numbers(client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("staff")
    everything = client.get("/api/insights").json()
    ev = client.get("/api/insights", params={"chain": "新能源汽车", "district": "渝北区"}).json()
    assert ev["chain"] == "智能网联新能源汽车" and ev["district"] == "渝北区"
    assert 0 < ev["totals"]["postings"] < everything["totals"]["postings"]
    assert {g["chain"] for g in ev["functions"]} == {"智能网联新能源汽车"}
    html = client.get("/insights", params={"chain": "智能网联新能源汽车"}).text
    assert '<option value="智能网联新能源汽车" selected>' in html and "chain=%E6%99%BA" in html


def test_an_unknown_filter_is_explained(client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("staff")
    html = client.get("/insights", params={"chain": "航天"}).text
    assert "没有名为“航天”的产业链" in html and 'id="chart-chains"' in html
    response = client.get("/api/insights", params={"chain": "航天"})
    assert response.status_code == 422 and "航天" in response.text


def test_charts_download_as_svg_and_csv(client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("employer")
    svg = client.get("/insights/chart/chains.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.startswith("<svg xmlns=")
    table = client.get("/insights/chart/heat.csv", params={"chain": "电子信息"})
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert rows[0] == ["区县", "电子信息"] and len(rows) > 1
    assert client.get("/insights/chart/nothing.svg").status_code == 404
    public = client_as(None).get("/insights/chart/skills.csv")
    assert public.status_code == 200 and public.content.startswith("\ufeff名称".encode())


def test_catalogue_downloads_for_staff(client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("staff")
    xlsx = client.get("/insights/catalogue", params={"format": "xlsx", "chain": "电子信息"})
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["说明", "紧缺人才目录"]
    assert {row[3] for row in book["紧缺人才目录"].iter_rows(min_row=2, values_only=True)} == {"电子信息"}
    assert client.get("/insights/catalogue", params={"format": "json"}).json()["title"] == "重庆紧缺人才目录"


def test_page_without_a_library_says_how_to_build_one(tmp_path, client_as) -> None:  # type: ignore[no-untyped-def]
    from assistant.config import load_settings

    app = create_app(build_app(load_settings(data_dir=tmp_path, embedding_provider="none")))
    with TestClient(app) as client:
        html = client.get("/insights").text
    assert "assistant jobs build" in html
