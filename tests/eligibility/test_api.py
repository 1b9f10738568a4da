"""Where users meet eligibility, over a real server on loopback: the JSON API, the /policies page, the chat (with an
uploaded résumé and a follow-up), and the staff page for the sidecars."""

from __future__ import annotations

from pathlib import Path

import httpx

from assistant.accounts import DEMO_PASSWORD
from tests.eligibility.conftest import DATA, DISTRICT_CALL
from tests.live import api_client

RESUME = DATA / "resume_phd.txt"


def test_api_statement_gives_cited_verdicts_and_an_answer_changes_one(elig_server: str) -> None:
    with api_client(elig_server) as client:
        response = client.post("/api/eligibility", json={"statement": "我是33岁的博士，在璧山区一家企业工作2年"})
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["facts"]["district"] == {"value": "璧山区", "source": "stated", "evidence": "璧山区"}
        call = next(v for v in report["verdicts"] if v["doc_id"] == DISTRICT_CALL)
        assert call["verdict"] == "可能符合" and call["citations"] and call["deadline_soon"]
        key = call["question_keys"][0]
        again = client.post("/api/eligibility", json={"facts": report["facts"], "answers": {key: True}}).json()
        assert next(v for v in again["verdicts"] if v["doc_id"] == DISTRICT_CALL)["verdict"] == "符合"


def test_api_from_a_resume_marks_its_facts(elig_server: str) -> None:
    with api_client(elig_server) as client:
        response = client.post("/api/eligibility/resume", files={"file": (RESUME.name, RESUME.read_bytes())})
        assert response.status_code == 200, response.text
        facts = response.json()["facts"]
        assert facts["education"]["source"] == "from_resume" and facts["age"]["source"] == "unknown"


def test_api_refuses_an_empty_description_clearly(elig_server: str) -> None:
    with api_client(elig_server) as client:
        response = client.post("/api/eligibility", json={"statement": "你好"})
        assert response.status_code == 422 and "情况" in response.json()["detail"]
        assert client.post("/api/eligibility", json={"statement": "x" * 3000}).status_code == 422


def test_chat_uses_the_uploaded_resume_and_a_follow_up_re_evaluates(elig_server: str) -> None:
    with api_client(elig_server) as client:
        upload = client.post("/api/chat/resume", files={"file": (RESUME.name, RESUME.read_bytes())})
        assert upload.status_code == 200, upload.text
        session = upload.json()["session_id"]
        first = client.post("/api/chat", json={"session_id": session, "message": "我能申请哪些人才政策？"}).json()
        assert [c["tool"] for c in first["tool_calls"]] == ["check_eligibility"]
        assert "博士（简历）" in first["reply"] and first["citations"]
        follow = client.post("/api/chat", json={"session_id": session, "message": "那如果我去璧山呢？"}).json()
        assert follow["tool_calls"][0]["tool"] == "check_eligibility"
        assert "区县：璧山区（对话）" in follow["reply"]
        ids = [item["doc_id"] for item in follow["results"][0]["output"]["items"]]
        assert DISTRICT_CALL in ids


def test_policies_page_and_the_staff_sidecar_page(elig_server: str) -> None:
    with httpx.Client(base_url=elig_server, timeout=30) as client:
        token = client.get("/api/me").json()["csrf_token"]
        page = client.post("/policies", data={"csrf_token": token, "statement": "我是33岁的博士，在璧山区企业工作"})
        assert page.status_code == 200 and f'id="doc-{DISTRICT_CALL}"' in page.text and "还需确认" in page.text
        assert client.get("/staff/eligibility", follow_redirects=False).status_code in (303, 307, 401, 403)
        client.post("/login", data={"csrf_token": token, "username": "demo-staff", "password": DEMO_PASSWORD})
        token = client.get("/api/me").json()["csrf_token"]
        listing = client.get("/staff/eligibility")
        assert listing.status_code == 200 and DISTRICT_CALL in listing.text
        detail = client.get(f"/staff/eligibility/{DISTRICT_CALL}")
        assert detail.status_code == 200 and "年龄不超过40周岁" in detail.text
        bad = client.post(f"/staff/eligibility/{DISTRICT_CALL}", data={"csrf_token": token, "text": "[: x"})
        assert bad.status_code == 422 and "YAML" in bad.text


def test_sidecars_of_the_served_corpus_exist(elig_server: str, elig_settings) -> None:  # type: ignore[no-untyped-def]
    corpus: Path = elig_settings.corpus_dir
    assert (corpus / "announcements" / "bishan-phd-housing.md.conditions.yaml").is_file()
