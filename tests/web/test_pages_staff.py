"""The staff pages and their JSON API: roles, question traces, evaluations, corpus uploads, feedback export."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.app import build_app
from assistant.config import Settings
from assistant.evaluation.golden import load_golden
from assistant.policy.context import PersonContext
from assistant.policy.service import PolicyService, build_policy_service
from assistant.retrieval.search import SearchFilters, SearchResult
from assistant.staff.evaluation_runs import EvaluationRunner
from web.app import create_app

REPO = Path(__file__).resolve().parents[2]
GOLDEN_MINI = REPO / "tests" / "data" / "golden-mini.yaml"
GATE = REPO / "corpus" / "eval" / "gate.yaml"
CORPUS_PDF = REPO / "corpus" / "documents" / "announcements" / "announcement-2025-ip-empowerment-pilot.pdf"
PASSWORD = "staff-pass-2026"
QUESTION = "博士研究生租房补贴每月多少钱？"


@pytest.fixture
def assistant(make_settings: Callable[..., Settings]) -> PolicyService:
    settings = make_settings(web_rate_limit_per_minute=0)
    eval_dir = settings.corpus_dir.parent / "eval"  # where the staff page looks for golden.yaml and gate.yaml
    eval_dir.mkdir()
    shutil.copy(GOLDEN_MINI, eval_dir / "golden.yaml")
    shutil.copy(GATE, eval_dir / "gate.yaml")
    built = build_policy_service(settings)
    built.ingest()
    return built


@pytest.fixture
def app(assistant: PolicyService) -> FastAPI:
    application = create_app(build_app(assistant.settings, policy=assistant))
    for role in ("staff", "talent", "employer"):
        application.state.services.accounts.create(f"{role}1", PASSWORD, role, f"测试{role}")
    return application


def client_as(app: FastAPI, role: str | None) -> TestClient:
    """A client logged in as `role` (None = anonymous) that sends its CSRF token as a header."""
    client = TestClient(app)
    token = client.get("/api/me").json()["csrf_token"]
    if role is not None:
        response = client.post("/api/auth/login", json={"username": f"{role}1", "password": PASSWORD},
                               headers={"X-CSRF-Token": token})
        token = response.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return client


@pytest.fixture
def staff(app: FastAPI) -> TestClient:
    return client_as(app, "staff")


PAGES = ["/staff", "/staff/eval", "/staff/corpus", "/staff/corpus/test-housing", "/staff/feedback",
         "/staff/feedback/export.yaml"]
APIS = [("get", "/api/staff/eval"), ("post", "/api/staff/eval"), ("get", "/api/staff/documents"),
        ("post", "/api/staff/ingest"), ("post", "/api/staff/trace"), ("get", "/api/staff/feedback"),
        ("post", "/api/staff/feedback"), ("get", "/api/staff/feedback/export"), ("post", "/api/staff/documents")]


def test_pages_send_anonymous_visitors_to_login_and_refuse_other_roles(app: FastAPI) -> None:
    clients = {role: client_as(app, role) for role in (None, "talent", "employer", "staff")}
    for path in PAGES:
        anonymous = clients[None].get(path, follow_redirects=False)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith(f"/login?next={path}")
        for role in ("talent", "employer"):
            response = clients[role].get(path)
            assert response.status_code == 403 and "仅对工作人员开放" in response.text, (path, role)
        assert clients["staff"].get(path).status_code == 200, path


def test_api_is_for_staff_only(app: FastAPI) -> None:
    clients = {role: client_as(app, role) for role in (None, "talent", "employer")}
    for method, path in APIS:
        assert getattr(clients[None], method)(path).json()["error"] == "login_required", path
        for role in ("talent", "employer"):
            response = getattr(clients[role], method)(path)
            assert response.status_code == 403 and response.json()["error"] == "forbidden", (path, role)


def test_trace_shows_every_score_the_threshold_and_the_cited_answer(staff: TestClient) -> None:
    trace = staff.post("/api/staff/trace", json={"question": QUESTION}).json()
    assert trace["decision"] == "answered" and trace["threshold"] == 0.54 and not trace["dense_used"]
    first = trace["passages"][0]
    assert first["doc_id"] == "test-housing" and first["bm25"] > 0 and first["bm25_rank"] == 1
    assert first["dense"] is None and first["fused"] == pytest.approx(1 / 61, abs=1e-6)  # BM25 rank 1 only: 1/(60+1)
    assert first["kept"] and first["cited_as"] == 1 and "被引用为 [1]" in first["reason"]
    assert any(not p["kept"] and "< 阈值 0.54" in p["reason"] for p in trace["passages"])
    assert "2000元" in trace["answer"]["answer"] and trace["answer"]["citations"][0]["doc_id"] == "test-housing"


def test_try_page_renders_the_score_table_and_a_feedback_form(staff: TestClient) -> None:
    page = staff.get("/staff", params={"q": QUESTION}).text
    assert "BM25" in page and "融合" in page and 'id="threshold">0.54' in page and "已作答" in page
    assert "测试市青年人才安居补贴办法" in page and "2000元" in page and 'action="/staff/feedback"' in page


@pytest.mark.parametrize(("question", "decision", "words"), [
    ("上海的人才落户政策", "declined_other_region", "上海"),
    ("怎么做红烧肉", "declined_below_threshold", "没有段落的相关度达到阈值"),
])
def test_trace_explains_why_a_question_was_declined(staff: TestClient, question: str, decision: str,
                                                    words: str) -> None:
    trace = staff.post("/api/staff/trace", json={"question": question}).json()
    assert trace["decision"] == decision and words in trace["explanation"] and not trace["answer"]["grounded"]


def test_try_page_filters_by_kind_and_validity(staff: TestClient) -> None:
    question = "秋季高校毕业生招聘会在哪天举行"
    assert "关于举办2025年秋季高校毕业生专场招聘会的通知" in staff.get("/staff", params={"q": question}).text
    page = staff.get("/staff", params={"q": question, "active_only": "true", "kinds": ["notice", "policy"]}).text
    assert "2025年秋季高校毕业生专场招聘会" not in page and 'value="notice" checked' in page


def test_trace_reads_follow_ups_and_rejects_empty_questions(staff: TestClient) -> None:
    trace = staff.post("/api/staff/trace", json={"question": "那硕士呢？", "history": [QUESTION]}).json()
    assert trace["search_text"] == "硕士租房补贴每月多少钱?"  # the audience swapped in, as the chat reads it
    assert "1200元" in trace["answer"]["answer"]
    empty = staff.post("/api/staff/trace", json={"question": "  "})
    assert empty.status_code == 422 and empty.json()["error"] == "invalid_input"
    assert staff.get("/staff", params={"q": "x" * 2001}).status_code == 422


def test_evaluation_runs_in_the_background_and_its_report_opens(staff: TestClient, app: FastAPI) -> None:
    started = staff.post("/api/staff/eval", json={"question_set": "sample", "sample_size": 3})
    assert started.status_code == 202 and started.json()["total"] == 3
    assert app.state.services.evaluations.wait(30).state == "done"
    state = staff.get("/api/staff/eval").json()
    run = state["runs"][0]
    assert state["progress"]["done"] == 3 and run["set_name"] == "sample-3" and run["author"] == "staff1"
    assert run["summary"]["questions"] == 3 and {c["metric"] for c in run["gate"]} >= {"hit_at_5", "accuracy"}
    report = staff.get(f"/staff/eval/runs/{run['id']}")
    assert report.status_code == 200 and "hit@k" in report.text and "<svg" in report.text
    assert staff.get(f"/api/staff/eval/runs/{run['id']}").json()["id"] == run["id"]
    page = staff.get("/staff/eval").text
    assert f"/staff/eval/runs/{run['id']}" in page and "sample-3" in page


def test_evaluation_form_runs_the_whole_set_and_compares_with_the_previous_run(staff: TestClient,
                                                                               app: FastAPI) -> None:
    for _ in range(2):
        response = staff.post("/staff/eval", data={"question_set": "golden"}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/staff/eval"
        app.state.services.evaluations.wait(30)
    latest, first = staff.get("/api/staff/eval").json()["runs"]
    assert latest["summary"]["questions"] == 6 and latest["compared_with"] == first["id"]
    assert latest["passed"] is (all(c["passed"] for c in latest["gate"]))


class BlockingAssistant(PolicyService):
    """Holds every question until released, so that a run is still going when the next request comes."""

    release = threading.Event()

    def gather(self, question: str, filters: SearchFilters | None = None,
               history: list[str] | None = None, person: PersonContext | None = None) -> tuple[str, SearchResult]:
        self.release.wait(10)
        return super().gather(question, filters, history, person)


def test_a_second_evaluation_is_refused_while_one_runs(
    staff: TestClient, app: FastAPI, assistant: PolicyService
) -> None:
    blocking = BlockingAssistant(assistant.settings, assistant.store, assistant.searcher, assistant.answerer,
                                 assistant.ingestor)
    eval_dir = assistant.settings.corpus_dir.parent / "eval"
    app.state.services.evaluations = EvaluationRunner(blocking, eval_dir, assistant.settings.data_dir / "eval_runs")
    try:
        assert staff.post("/api/staff/eval", json={"question_set": "golden"}).status_code == 202
        busy = staff.post("/api/staff/eval", json={"question_set": "sample", "sample_size": 2})
        assert busy.status_code == 409 and busy.json()["error"] == "evaluation_busy"
        page = staff.post("/staff/eval", data={"question_set": "golden"})
        assert page.status_code == 409 and "已有一次评测正在运行" in page.text
        assert staff.get("/api/staff/eval").json()["progress"]["state"] == "running"
        assert 'data-state="running"' in staff.get("/staff/eval").text
    finally:
        BlockingAssistant.release.set()
    assert app.state.services.evaluations.wait(30).state == "done"


@pytest.mark.parametrize("run_id", ["20990101-000000-golden", "..%2Fweb", "nope"])
def test_unknown_evaluation_runs_are_404(staff: TestClient, run_id: str) -> None:
    assert staff.get(f"/staff/eval/runs/{run_id}").status_code == 404
    assert staff.get(f"/api/staff/eval/runs/{run_id}").json()["error"] in {"run_not_found", "not_found"}


def test_evaluation_choice_is_validated(staff: TestClient) -> None:
    assert staff.post("/api/staff/eval", json={"question_set": "gate"}).status_code == 422
    assert staff.post("/api/staff/eval", json={"sample_size": 0}).status_code == 422


def test_state_changes_need_the_csrf_token(app: FastAPI) -> None:
    client = client_as(app, "staff")
    token = client.headers.pop("X-CSRF-Token")
    assert client.post("/api/staff/ingest").json()["error"] == "csrf_failed"
    assert client.post("/staff/eval", data={"question_set": "sample"}).status_code == 403
    ok = client.post("/staff/eval", data={"question_set": "sample", "sample_size": "1", "csrf_token": token},
                     follow_redirects=False)
    assert ok.status_code == 303
    app.state.services.evaluations.wait(30)


def test_corpus_page_lists_documents_with_metadata_and_chunks(staff: TestClient) -> None:
    rows = {row["meta"]["id"]: row for row in staff.get("/api/staff/documents").json()}
    assert len(rows) == 5 and rows["test-housing"]["chunks"] >= 1
    assert rows["test-job-fair-2025"]["validity"] == "expired" and rows["test-mentor-1"]["validity"] == "superseded"
    page = staff.get("/staff/corpus").text
    assert "测试市青年人才安居补贴办法" in page and "测试市人力资源和社会保障局" in page and "已被新文件取代" in page
    detail = staff.get("/api/staff/documents/test-housing").json()
    assert detail["document"]["meta"]["issuer"] and len(detail["chunks"]) == rows["test-housing"]["chunks"]
    assert "第三条" in staff.get("/staff/corpus/test-housing").text
    assert staff.get("/api/staff/documents/nope").json()["error"] == "document_not_found"


def search_titles(client: TestClient, query: str) -> list[str]:
    return [hit["doc_id"] for hit in client.post("/api/search", json={"query": query}).json()]


def test_uploaded_text_is_indexed_with_its_metadata_sidecar(staff: TestClient, assistant: PolicyService) -> None:
    body = "第一条 海外高层次人才专项补贴每人8万元。\n第二条 申报截止日期为2027年3月1日。\n".encode()
    response = staff.post("/api/staff/documents", files={"file": ("海外引才.txt", body, "text/plain")},
                          data={"title": "海外引才专项办法", "kind": "notice", "issuer": "测试局",
                                "published": "2026-10-01", "expires": "2027-03-01", "audience": "博士、海外人才",
                                "doc_id": "overseas-talent"})
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["path"] == "notices/overseas-talent.txt" and not result["replaced"]
    assert result["ingest"]["added"] == ["notices/overseas-talent.txt"]
    sidecar = (assistant.settings.corpus_dir / "notices" / "overseas-talent.txt.meta.yaml").read_text(encoding="utf-8")
    assert "title: 海外引才专项办法" in sidecar and "- 海外人才" in sidecar and "expires: '2027-03-01'" in sidecar
    assert search_titles(staff, "海外高层次人才专项补贴")[0] == "overseas-talent"
    meta = staff.get("/api/staff/documents/overseas-talent").json()["document"]["meta"]
    assert meta["kind"] == "notice" and meta["audience"] == ["博士", "海外人才"] and meta["issuer"] == "测试局"


def test_upload_form_accepts_pdf_and_docx(staff: TestClient, tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_heading("揭榜挂帅测试通知", level=1)
    document.add_paragraph("揭榜挂帅项目最高资助500万元。")
    document.save(tmp_path / "notice.docx")
    uploads = [("pilot.pdf", CORPUS_PDF.read_bytes(), "知识产权测试", "ip-pilot-copy"),
               ("notice.docx", (tmp_path / "notice.docx").read_bytes(), "揭榜挂帅测试通知", "")]
    for name, data, title, doc_id in uploads:
        page = staff.post("/staff/corpus/upload", files={"file": (name, data, "application/octet-stream")},
                          data={"title": title, "kind": "announcement", "doc_id": doc_id})
        assert page.status_code == 200 and 'id="upload-result"' in page.text and title in page.text
    assert search_titles(staff, "揭榜挂帅项目资助")[0] == "upload-notice"
    assert "ip-pilot-copy" in {row["meta"]["id"] for row in staff.get("/api/staff/documents").json()}


def corpus_files(assistant: PolicyService) -> dict[str, bytes]:
    root = assistant.settings.corpus_dir
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("name", "data", "fields", "message"), [
    ("broken.pdf", b"%PDF-1.4\n%broken beyond repair", {}, "PDF 文件损坏"),
    ("fake.txt", b"%PDF-1.4\n1 0 obj", {}, "文件内容与扩展名不符"),
    ("program.md", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00binary", {}, "无法识别的二进制内容"),
    ("sheet.docx", b"PK\x03\x04not really a zip", {}, "文件内容与扩展名不符"),
    ("table.xlsx", b"PK\x03\x04", {}, "不支持的文件类型"),
    ("empty.txt", b"   \n", {}, "文件为空"),
    ("ok.txt", "第一条 内容。".encode(), {"published": "2026-13-45"}, "发布日期应为 YYYY-MM-DD"),
    ("ok.txt", "第一条 内容。".encode(), {"title": ""}, "标题太短或为空"),
    ("ok.txt", "第一条 内容。".encode(), {"doc_id": "Bad ID!"}, "文档 id 只能包含"),
    ("ok.txt", "第一条 内容。".encode(), {"doc_id": "test-housing"}, "已被 policies/housing.md 使用"),
])
def test_bad_uploads_get_a_chinese_reason_and_change_nothing(staff: TestClient, assistant: PolicyService, name: str,
                                                             data: bytes, fields: dict[str, str], message: str) -> None:
    before, generation = corpus_files(assistant), assistant.store.current_number()
    form = {"title": "测试文件", **fields}
    response = staff.post("/api/staff/documents", files={"file": (name, data, "application/octet-stream")}, data=form)
    assert response.status_code == 422 and response.json()["error"] == "upload_rejected"
    assert message in response.json()["detail"]
    page = staff.post("/staff/corpus/upload", files={"file": (name, data, "application/octet-stream")}, data=form)
    assert page.status_code == 422 and message in page.text and 'id="corpus-error"' in page.text
    assert corpus_files(assistant) == before and assistant.store.current_number() == generation


def test_a_corrupt_replacement_keeps_the_indexed_version(staff: TestClient, assistant: PolicyService) -> None:
    form = {"title": "人才公寓测试办法", "doc_id": "apartments"}
    first = staff.post("/api/staff/documents", data=form,
                       files={"file": ("a.txt", "第一条 人才公寓租金减免百分之五十。".encode(), "text/plain")})
    assert first.status_code == 201
    broken = staff.post("/api/staff/documents", data=form,
                        files={"file": ("a.txt", b"\x00\x01\x02" * 50, "text/plain")})
    assert broken.status_code == 422
    assert search_titles(staff, "人才公寓租金减免")[0] == "apartments"
    second = staff.post("/api/staff/documents", data=form,
                        files={"file": ("a.txt", "第一条 人才公寓租金全免三年。".encode(), "text/plain")}).json()
    assert second["replaced"] and second["ingest"]["changed"] == ["policies/apartments.txt"]
    chunks = staff.get("/api/staff/documents/apartments").json()["chunks"]
    assert [c["text"] for c in chunks] == ["第一条 人才公寓租金全免三年。"]


def test_an_upload_that_fails_at_ingest_is_taken_back(staff: TestClient, assistant: PolicyService) -> None:
    # A file dropped into the folder but not indexed yet claims the same id first (it sorts earlier).
    sneaky = assistant.settings.corpus_dir / "announcements" / "sneaky.md"
    sneaky.write_text("---\nid: apartments\ntitle: 抢先的文件\n---\n第一条 抢先。\n", encoding="utf-8")
    response = staff.post("/api/staff/documents", data={"title": "人才公寓测试办法", "doc_id": "apartments"},
                          files={"file": ("a.txt", "第一条 人才公寓。".encode(), "text/plain")})
    assert response.status_code == 422 and "重复" in response.json()["detail"]
    assert not (assistant.settings.corpus_dir / "policies" / "apartments.txt").exists()
    assert not (assistant.settings.corpus_dir / "policies" / "apartments.txt.meta.yaml").exists()
    assert staff.get("/api/staff/documents/apartments").json()["document"]["meta"]["path"] == "announcements/sneaky.md"


def test_reingest_reports_a_file_that_turned_corrupt_and_keeps_its_last_good_version(
        staff: TestClient, assistant: PolicyService) -> None:
    (assistant.settings.corpus_dir / "policies" / "housing.md").write_text("---\ntitle: [未闭合\n---\n正文\n",
                                                                         encoding="utf-8")
    page = staff.post("/staff/corpus/ingest")
    assert page.status_code == 200 and "读取失败" in page.text and "YAML 头部格式错误" in page.text
    assert "test-housing" in {row["meta"]["id"] for row in staff.get("/api/staff/documents").json()}
    assert "2000元" in staff.post("/api/staff/trace", json={"question": QUESTION}).json()["answer"]["answer"]
    assert staff.post("/api/staff/ingest").json()["failed"][0].startswith("policies/housing.md")


def test_oversized_uploads_are_refused(staff: TestClient, assistant: PolicyService) -> None:
    before = corpus_files(assistant)
    response = staff.post("/api/staff/documents", data={"title": "太大的文件"},
                          files={"file": ("big.txt", b"a" * (20 * 1024 * 1024 + 10), "text/plain")})
    assert response.status_code in (413, 422) and "上限" in response.json()["detail"]
    assert corpus_files(assistant) == before


def test_feedback_is_stored_and_exported_as_golden_questions(staff: TestClient, tmp_path: Path) -> None:
    entries = [
        {"question": "那硕士呢？", "history": [QUESTION], "verdict": "bad", "note": "没答硕士",
         "expected_docs": ["test-housing"], "facts": ["1200元"]},
        {"question": QUESTION, "verdict": "good", "answer": "……2000元[1]", "grounded": True,
         "cited_docs": ["test-housing"]},
        {"question": "北京户口怎么落", "verdict": "bad", "should_decline": True, "note": "应拒答"},
        {"question": "人才公寓在哪", "verdict": "bad", "note": "待补充"},
    ]
    for entry in entries:
        assert staff.post("/api/staff/feedback", json=entry).status_code == 201
    assert [e["verdict"] for e in staff.get("/api/staff/feedback", params={"verdict": "bad"}).json()] == ["bad"] * 3
    exported = staff.get("/api/staff/feedback/export")
    (tmp_path / "bad.yaml").write_text(exported.text, encoding="utf-8")
    bad = {q.id: q for q in load_golden(tmp_path / "bad.yaml")}
    assert set(bad) == {"fb0001", "fb0003", "fb0004"}
    assert bad["fb0001"].kind == "follow_up" and bad["fb0001"].facts == ["1200元"] and bad["fb0001"].history
    assert not bad["fb0003"].answerable and bad["fb0003"].kind == "decline_near_topic"
    download = staff.get("/staff/feedback/export.yaml", params={"verdict": "all"})
    assert "attachment" in download.headers["content-disposition"]
    (tmp_path / "all.yaml").write_text(download.text, encoding="utf-8")
    every = {q.id: q for q in load_golden(tmp_path / "all.yaml")}
    assert len(every) == 4 and every["fb0002"].expected_docs == ["test-housing"]


def test_feedback_form_saves_and_lists_the_verdict(staff: TestClient) -> None:
    form = {"question": QUESTION, "verdict": "bad", "note": "数字不对", "answer": "答案", "grounded": "true",
            "cited_docs": "test-housing", "facts": "2000元\n36个月", "kind": "number"}
    response = staff.post("/staff/feedback", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/staff/feedback?saved=1"
    page = staff.get("/staff/feedback?saved=1").text
    assert "反馈 #1 已保存" in page and "数字不对" in page and "36个月" in page
    stored = staff.get("/api/staff/feedback").json()[0]
    assert stored["facts"] == ["2000元", "36个月"] and stored["grounded"] and stored["author"] == "staff1"
    assert staff.post("/staff/feedback", data={**form, "kind": "poem"}).status_code == 422
    assert staff.post("/staff/feedback", data={**form, "verdict": "meh"}).status_code == 422
    assert staff.post("/api/staff/feedback", json={"question": "", "verdict": "bad"}).status_code == 422
