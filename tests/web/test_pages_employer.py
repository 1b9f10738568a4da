"""/employer and its JSON API: the posting check gate, candidates, invitations and who may see what."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.live import api_client
from tests.web.market_support import ANALYST, ENGINEER, market_app, market_settings, signed_in, visitor

ANALYST_JOB = {"title": "数据分析师", "description": "负责经营数据分析，熟悉Python、SQL", "district": "渝北区",
               "education": "本科", "salary": "10-15K", "skills": "Python, SQL, 数据分析"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return market_app(market_settings(tmp_path_factory.mktemp("employer-pages")))


def publish(client: TestClient, token: str, **changes: object) -> dict:
    response = client.post("/api/employer/postings", json={**ANALYST_JOB, **changes}, headers={"X-CSRF-Token": token})
    assert response.status_code == 200, response.text
    return response.json()


def save_talent(app: FastAPI, username: str, resume: bytes, opt_in: bool) -> tuple[TestClient, str]:
    client, token = signed_in(app, username, "talent", username)
    saved = client.post("/api/talent/profile", data={"opt_in": str(opt_in).lower()}, headers={"X-CSRF-Token": token},
                        files={"file": ("cv.txt", resume)})
    assert saved.status_code == 200, saved.text
    return client, token


def test_employer_pages_need_an_employer(app: FastAPI) -> None:
    anonymous, token = visitor(app)
    assert anonymous.get("/employer").headers["location"] == "/login?next=/employer"
    assert anonymous.get("/api/employer/postings").status_code == 401
    talent, token = signed_in(app, "talent-not-employer", "talent")
    assert talent.get("/employer").status_code == 403
    assert publish_status(talent, token) == 403


def publish_status(client: TestClient, token: str) -> int:
    return client.post("/api/employer/postings", json=ANALYST_JOB, headers={"X-CSRF-Token": token}).status_code


def test_gender_requirement_is_flagged_with_rule_and_rewrite_and_blocks(app: FastAPI) -> None:
    client, token = signed_in(app, "employer-gender", "employer", "渝北数据公司")
    form = {"csrf_token": token, **ANALYST_JOB, "description": "负责设备巡检，限男性，能适应夜班。"}
    page = client.post("/employer/postings", data=form)
    assert page.status_code == 422
    assert '<mark class="flagged">限男性</mark>' in page.text and "就业促进法第二十七条" in page.text
    assert '<blockquote class="passage" id="rewrite">负责设备巡检，能适应夜班。</blockquote>' in page.text
    assert client.get("/api/employer/postings").json() == []
    rewritten = client.post("/employer/postings", data={**form, "action": "use_rewrite"})
    assert rewritten.status_code == 200 and ">负责设备巡检，能适应夜班。</textarea>" in rewritten.text
    published = client.post("/employer/postings", data={**form, "description": "负责设备巡检，能适应夜班。"})
    assert published.status_code == 303 and published.headers["location"].startswith("/employer/postings/")


def test_api_check_reports_severity_and_acknowledgement_only_unblocks_confirmable_kinds(app: FastAPI) -> None:
    client, token = signed_in(app, "employer-age", "employer")
    verdict = client.post("/api/employer/check", json={**ANALYST_JOB, "description": "年龄25-35岁，限男性"},
                          headers={"X-CSRF-Token": token}).json()
    assert verdict["blocking"] == ["gender"] and verdict["unconfirmed"] == ["age"] and not verdict["publishable"]
    assert {i["severity"] for i in verdict["issues"]} == {"block", "confirm"}
    blocked = publish(client, token, description="年龄25-35岁，限男性", acknowledged=["age", "gender"])
    assert blocked["posting"] is None and blocked["verdict"]["blocking"] == ["gender"]
    waiting = publish(client, token, description="年龄25-35岁，负责数据分析")
    assert waiting["posting"] is None and waiting["verdict"]["unconfirmed"] == ["age"]
    done = publish(client, token, description="年龄25-35岁，负责数据分析", acknowledged=["age"])
    assert done["posting"]["acknowledged"] == ["age"] and done["posting"]["job"]["id"].startswith("W")


def test_invalid_posting_fields_are_explained(app: FastAPI) -> None:
    client, token = signed_in(app, "employer-bad", "employer")
    response = client.post("/api/employer/postings", json={**ANALYST_JOB, "district": "火星区"},
                           headers={"X-CSRF-Token": token})
    assert response.status_code == 422 and "未知的区县" in response.json()["detail"]
    page = client.post("/employer/postings", data={"csrf_token": token, **ANALYST_JOB, "salary": "很多钱"})
    assert page.status_code == 422 and "岗位信息无效" in page.text


def test_only_opted_in_talents_are_candidates_and_contact_waits_for_acceptance(app: FastAPI) -> None:
    talent, talent_token = save_talent(app, "chen-opted-in", ANALYST.read_bytes(), opt_in=True)
    save_talent(app, "wang-private", ANALYST.read_bytes().replace("陈思远".encode(), "王小明".encode()), opt_in=False)
    talent_id = talent.get("/api/me").json()["user"]["id"]
    employer, token = signed_in(app, "employer-flow", "employer", "两江数据")
    posting_id = publish(employer, token)["posting"]["id"]
    view = employer.get(f"/api/employer/postings/{posting_id}")
    candidates = view.json()["candidates"]
    refs = [c["ref"] for c in candidates]
    assert refs[0] == f"user:{talent_id}" and len(candidates) == 10
    assert all(c["source"] == "demo" for c in candidates[1:])
    assert candidates[0]["display_name"] == "陈**" and candidates[0]["contact"] is None
    assert len(candidates[0]["dimensions"]) == 22 and candidates[0]["dimensions"][0]["evidence"]
    assert "13700001111" not in view.text and "chensy@example.com" not in view.text
    assert "王" not in candidates[0]["display_name"]
    assert all("protected" not in c for c in candidates)  # no gender, age, 户籍 … of the demo records

    invited = employer.post(f"/api/employer/postings/{posting_id}/invitations",
                            json={"talent_ref": f"user:{talent_id}", "message": "欢迎来面试"},
                            headers={"X-CSRF-Token": token})
    assert invited.status_code == 200 and invited.json()["status"] == "pending"
    page = talent.get("/resume")
    assert "两江数据 · 数据分析师" in page.text and "欢迎来面试" in page.text
    invitation_id = invited.json()["id"]
    accepted = talent.post(f"/resume/invitations/{invitation_id}",
                           data={"csrf_token": talent_token, "decision": "accept"})
    assert accepted.status_code == 303
    again = talent.post(f"/api/talent/invitations/{invitation_id}", json={"accept": False},
                        headers={"X-CSRF-Token": talent_token})
    assert again.status_code == 422 and "已处理" in again.json()["detail"]
    after = employer.get(f"/api/employer/postings/{posting_id}").json()
    assert after["candidates"][0]["contact"]["phones"] == ["13700001111"]
    assert after["invitations"][0]["contact"]["emails"] == ["chensy@example.com"]
    assert "13700001111" in employer.get(f"/employer/postings/{posting_id}").text


def test_invitations_to_private_unknown_and_demo_candidates(app: FastAPI) -> None:
    private, _ = save_talent(app, "li-private", ENGINEER.read_bytes(), opt_in=False)
    private_id = private.get("/api/me").json()["user"]["id"]
    employer, token = signed_in(app, "employer-invites", "employer")
    posting_id = publish(employer, token)["posting"]["id"]
    headers = {"X-CSRF-Token": token}
    refused = employer.post(f"/api/employer/postings/{posting_id}/invitations",
                            json={"talent_ref": f"user:{private_id}"}, headers=headers)
    assert refused.status_code == 422 and "未同意被推荐" in refused.json()["detail"]
    unknown = employer.post(f"/api/employer/postings/{posting_id}/invitations", json={"talent_ref": "T999999"},
                            headers=headers)
    assert unknown.status_code == 422
    demo = employer.post(f"/employer/postings/{posting_id}/invitations",
                         data={"csrf_token": token, "talent_ref": "T000001"})
    assert demo.status_code == 303
    page = employer.get(f"/employer/postings/{posting_id}")
    assert "演示记录：没有账号，无法回复邀约" in page.text
    assert private.post("/api/talent/invitations/1", json={"accept": True},
                        headers={"X-CSRF-Token": private.get("/api/me").json()["csrf_token"]}).status_code == 404


def test_an_employer_never_sees_another_employers_posting(app: FastAPI) -> None:
    owner, owner_token = signed_in(app, "employer-owner", "employer")
    posting_id = publish(owner, owner_token)["posting"]["id"]
    other, token = signed_in(app, "employer-other", "employer")
    assert other.get(f"/api/employer/postings/{posting_id}").status_code == 404
    assert other.get(f"/employer/postings/{posting_id}").status_code == 404
    assert all(p["id"] != posting_id for p in other.get("/api/employer/postings").json())
    invite = other.post(f"/api/employer/postings/{posting_id}/invitations", json={"talent_ref": "T000001"},
                        headers={"X-CSRF-Token": token})
    assert invite.status_code == 404
    assert posting_id in [p["id"] for p in owner.get("/api/employer/postings").json()]
    assert "数据分析师" in owner.get("/employer").text


def test_missing_csrf_is_refused(app: FastAPI) -> None:
    client, _ = signed_in(app, "employer-csrf", "employer")
    response = client.post("/api/employer/postings", json=ANALYST_JOB)
    assert response.status_code == 403 and response.json()["error"] == "csrf_failed"
    assert client.post("/employer/postings", data=ANALYST_JOB).status_code == 403


def test_a_declined_invitation_keeps_the_contact_hidden(app: FastAPI) -> None:
    talent, talent_token = save_talent(app, "zhou-declines", ANALYST.read_bytes(), opt_in=True)
    talent_id = talent.get("/api/me").json()["user"]["id"]
    employer, token = signed_in(app, "employer-declined", "employer", "某公司")
    posting_id = publish(employer, token)["posting"]["id"]
    invitation = employer.post(f"/api/employer/postings/{posting_id}/invitations",
                               json={"talent_ref": f"user:{talent_id}"}, headers={"X-CSRF-Token": token}).json()
    declined = talent.post(f"/resume/invitations/{invitation['id']}",
                           data={"csrf_token": talent_token, "decision": "decline"})
    assert declined.status_code == 303 and "已婉拒" in talent.get("/resume").text
    view = employer.get(f"/api/employer/postings/{posting_id}")
    assert view.json()["invitations"][0]["invitation"]["status"] == "declined"
    assert view.json()["invitations"][0]["contact"] is None and "13700001111" not in view.text


def test_staff_use_the_employer_tools_under_their_own_account(app: FastAPI) -> None:
    staff, token = signed_in(app, "staff-employer-page", "staff")
    assert staff.get("/employer").status_code == 200
    verdict = staff.post("/api/employer/check", json={**ANALYST_JOB, "description": "限本地户口"},
                         headers={"X-CSRF-Token": token}).json()
    assert verdict["blocking"] == ["hukou"]
    assert staff.get("/api/employer/postings").json() == []  # nobody else's postings


def test_openapi_documents_the_market_apis(app: FastAPI) -> None:
    client, _ = visitor(app)
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/resume/review", "/api/jobs", "/api/jobs/{job_id}", "/api/employer/postings",
            "/api/employer/postings/{posting_id}/invitations", "/api/talent/invitations/{invitation_id}"} <= set(paths)
    assert "/employer" not in paths  # pages stay out of the API schema


PROBE_LINE = "2016.09-2020.06  重庆大学  统计学  本科 微信 wxm_secret_88 手机 139-1234-5678 QQ 88776655"
PROBE_LEAKS = ("wxm_secret_88", "secret", "139-1234-5678", "139 1234 5678", "13912345678", "1234-5678", "1234 5678",
               "88776655", "wxm", "１３９")


def probe_resume() -> bytes:
    text = ANALYST.read_text(encoding="utf-8").replace("陈思远", "王思远")
    text = text.replace("2016.09-2020.06  重庆大学  统计学  本科", PROBE_LINE)
    text = text.replace("熟悉 Python、SQL、Tableau、机器学习", "熟悉 Python、SQL、Tableau、机器学习 电话 139 1234 5678")
    assert PROBE_LINE in text and "139 1234 5678" in text
    return text.encode()


def test_contact_data_in_evidence_never_reach_an_employer_before_or_after_consent(app: FastAPI) -> None:
    talent, talent_token = save_talent(app, "wang-probe", probe_resume(), opt_in=True)
    talent_id = talent.get("/api/me").json()["user"]["id"]
    employer, token = signed_in(app, "employer-probe", "employer", "探针公司")
    posting_id = publish(employer, token)["posting"]["id"]
    view = employer.get(f"/api/employer/postings/{posting_id}")
    page = employer.get(f"/employer/postings/{posting_id}")
    assert view.status_code == 200 and page.status_code == 200
    card = next(c for c in view.json()["candidates"] if c["ref"] == f"user:{talent_id}")
    assert card["display_name"] == "王**" and card["contact"] is None
    education = next(d for d in card["dimensions"] if d["name"] == "education")
    assert "重庆大学" in education["evidence"] and "***" in education["evidence"]  # the line is quoted, redacted
    for leak in PROBE_LEAKS:
        assert leak not in view.text and leak not in page.text, leak

    invitation = employer.post(f"/api/employer/postings/{posting_id}/invitations",
                               json={"talent_ref": f"user:{talent_id}"}, headers={"X-CSRF-Token": token}).json()
    assert talent.post(f"/api/talent/invitations/{invitation['id']}", json={"accept": True},
                       headers={"X-CSRF-Token": talent_token}).status_code == 200
    after = employer.get(f"/api/employer/postings/{posting_id}")
    card = next(c for c in after.json()["candidates"] if c["ref"] == f"user:{talent_id}")
    saved = talent.get("/api/talent/profile").json()["profile"]["contact"]
    assert card["contact"] == saved and card["display_name"] == "王思远"  # the contact comes from the saved profile
    assert all("secret" not in d["evidence"] and "88776655" not in d["evidence"] for d in card["dimensions"])
    assert all("secret" not in line and "88776655" not in line for line in card["strengths"] + card["gaps"])


def test_one_talent_has_one_reference_and_one_invitation(app: FastAPI) -> None:
    talent, _ = save_talent(app, "zhao-one-ref", ANALYST.read_bytes(), opt_in=True)
    talent_id = talent.get("/api/me").json()["user"]["id"]
    employer, token = signed_in(app, "employer-one-ref", "employer")
    posting_id = publish(employer, token)["posting"]["id"]
    spellings = [f"user:{talent_id}", f"user:0{talent_id}", f"user: {talent_id}", f"user:+{talent_id}",
                 f"user:{talent_id} ", f" user:{talent_id}", f"USER:{talent_id}", f"user:{talent_id}.0",
                 f"user:{2**63}", "user:0", "user:-1", "t000001", "T00001", "T0000001", " T000001"]
    statuses = [employer.post(f"/api/employer/postings/{posting_id}/invitations", json={"talent_ref": ref},
                              headers={"X-CSRF-Token": token}).status_code for ref in spellings]
    assert statuses == [200] + [422] * (len(spellings) - 1)
    form = employer.post(f"/employer/postings/{posting_id}/invitations",
                         data={"csrf_token": token, "talent_ref": f"user:0{talent_id}"})
    assert form.status_code == 422
    invitations = employer.get(f"/api/employer/postings/{posting_id}").json()["invitations"]
    assert [v["invitation"]["talent_ref"] for v in invitations] == [f"user:{talent_id}"]
    assert len(talent.get("/api/talent/profile").json()["invitations"]) == 1


@pytest.mark.parametrize("record_id", [2**63, 2**64, 10**30, 0, -1])
def test_ids_out_of_range_are_refused_not_500(app: FastAPI, record_id: int) -> None:
    employer, token = signed_in(app, "employer-big-ids", "employer")
    talent, talent_token = signed_in(app, "talent-big-ids", "talent")
    responses = [
        employer.get(f"/api/employer/postings/{record_id}"),
        employer.get(f"/employer/postings/{record_id}"),
        employer.post(f"/api/employer/postings/{record_id}/invitations", json={"talent_ref": "T000001"},
                      headers={"X-CSRF-Token": token}),
        employer.post(f"/employer/postings/{record_id}/invitations", data={"csrf_token": token,
                                                                          "talent_ref": "T000001"}),
        talent.post(f"/api/talent/invitations/{record_id}", json={"accept": True},
                    headers={"X-CSRF-Token": talent_token}),
        talent.post(f"/resume/invitations/{record_id}", data={"csrf_token": talent_token, "decision": "accept"}),
    ]
    assert [r.status_code in (404, 422) for r in responses] == [True] * len(responses), \
        [(r.request.url.path, r.status_code) for r in responses]
    assert responses[0].json()["error"] in ("not_found", "record_not_found", "invalid_input")


SPRING_JOB = {"title": "Java开发工程师", "district": "渝北区", "education": "本科", "salary": "15-25K",
              "skills": "Spring Boot, Spring Cloud；MySQL/redis"}
SPRING_AD = "岗位职责：\n1. 负责后端服务开发\n2. 限男性，35岁以下\n3. 熟悉微服务架构\n福利：五险一金"


def test_live_api_parses_skills_rewrites_only_the_flagged_clauses_and_refuses_a_broken_ad(live_server: str) -> None:
    with api_client(live_server) as employer:
        login = employer.post("/api/auth/login", json={"username": "demo-employer", "password": "demo-2026"})
        assert login.status_code == 200
        employer.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        verdict = employer.post("/api/employer/check", json={**SPRING_JOB, "description": SPRING_AD}).json()
        assert verdict["skills"] == ["Spring Boot", "Spring Cloud", "MySQL", "Redis"]
        assert verdict["blocking"] == ["gender"] and verdict["unconfirmed"] == ["age"]
        assert verdict["rewrite"] == "岗位职责：\n1. 负责后端服务开发\n2. 熟悉微服务架构\n福利：五险一金"
        broken = employer.post("/api/employer/postings", json={**SPRING_JOB, "description": "1.\n2. 重庆，"}).json()
        assert broken["posting"] is None and "只剩编号" in broken["verdict"]["incomplete"]
        emptied = employer.post("/api/employer/check", json={**SPRING_JOB, "description": "1. 限男性\n2. 本地户口"})
        assert emptied.json()["rewrite"] == "" and "补充岗位职责" in emptied.json()["rewrite_note"]
        published = employer.post("/api/employer/postings", json={**SPRING_JOB, "description": verdict["rewrite"]})
        job = published.json()["posting"]["job"]
        assert job["skills_required"] == ["Spring Boot", "Spring Cloud", "MySQL", "Redis"]
        assert job["description"] == verdict["rewrite"]


def test_form_keeps_the_text_when_the_rewrite_would_leave_nothing_and_refuses_a_broken_ad(app: FastAPI) -> None:
    client, token = signed_in(app, "employer-broken", "employer")
    form = {"csrf_token": token, **ANALYST_JOB, "description": "1. 限男性\n2. 本地户口"}
    page = client.post("/employer/postings", data={**form, "action": "use_rewrite"})
    assert page.status_code == 422 and "没有剩下可发布的内容" in page.text
    assert ">1. 限男性\n2. 本地户口</textarea>" in page.text and 'id="rewrite"' not in page.text
    broken = client.post("/employer/postings", data={**form, "description": "1.\n2. 重庆，"})
    assert broken.status_code == 422 and "只剩编号" in broken.text
    assert client.get("/api/employer/postings").json() == []
