"""/policies: which policies and project calls a person may apply for, condition by condition, with the questions
that settle the unknowns; /api/eligibility for the same as JSON; /staff/eligibility for the conditions sidecars."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError

from assistant.eligibility.models import ConditionSet, EligibilityReport, PersonFacts
from assistant.eligibility.service import EligibilityService
from assistant.eligibility.sidecars import dump_sidecar, parse_sidecar_text
from assistant.eligibility.store import InboxEntry
from assistant.errors import AssistantError, InvalidInputError
from assistant.market.service import TalentMarket
from web.auth import User, current_user, require_role
from web.deps import EligibilityDep, MarketDep, ResumesDep
from web.security import verify_csrf
from web.templating import render

router = APIRouter()
CsrfChecked = Depends(verify_csrf)
Talent = Annotated[User, Depends(require_role("talent"))]
Staff = Annotated[User, Depends(require_role("staff"))]
MAX_FACTS_JSON = 20_000
_FACT_LABELS = {"age": "年龄", "birth_date": "出生年月", "education": "学历", "field": "专业",
                "degree_date": "取得学位",
                "work_years": "工作年限", "chongqing_years": "在渝工作年限", "employer_years": "现单位年限",
                "contract_years": "劳动合同期限", "postdoc": "博士后", "postdoc_out_years": "出站年限",
                "title": "职称", "tier": "人才层次", "nationality": "国籍", "residence": "工作地",
                "employer_type": "单位类型", "district": "区县", "awards": "已获项目/荣誉",
                "first_job_cq": "首次在渝全职就业", "postdoc_entry": "（拟）进站时间", "share": "持股比例（%）"}
_SOURCE_LABELS = {"from_resume": "简历", "stated": "自述", "profile": "求职档案"}


class EligibilityRequest(BaseModel):
    """A person described in words and/or as facts already known, with yes/no answers to earlier questions."""

    statement: str = Field(default="", max_length=2000,
                           description="自述情况，如：我是35岁的博士，在渝北区一家企业工作3年")
    facts: PersonFacts | None = Field(default=None, description="此前的核对结果中的 facts（可原样传回）")
    answers: dict[str, bool] = Field(default_factory=dict, description="问题的回答：条件键 → 是/否")


def _facts(eligibility: EligibilityService, base: PersonFacts | None, statement: str,
           answers: dict[str, bool] | None = None) -> PersonFacts:
    facts = base or PersonFacts()
    if statement.strip():
        facts = facts.merged(eligibility.facts_from_text(statement))
    if answers:
        facts = facts.model_copy(update={"answers": {**facts.answers, **answers}})
    return facts


def _profile_facts(request: Request, eligibility: EligibilityService, market: TalentMarket) -> PersonFacts | None:
    """A logged-in talent's saved facts: their subscription's facts over their saved profile's."""
    user = current_user(request)
    if user is None or user.role != "talent":
        return None
    saved = market.profile_view(user.id).profile
    facts = eligibility.facts_from_profile(saved.profile) if saved else PersonFacts()
    subscription = eligibility.subscription(user.id)
    if subscription is not None:
        facts = facts.merged(subscription.facts)
    return facts if facts.known() or facts.answers else None


def _page(request: Request, eligibility: EligibilityService, status_code: int = 200, **context: Any) -> Response:
    user = current_user(request)
    talent = user is not None and user.role == "talent"
    values: dict[str, Any] = {"report": None, "error": None, "facts_json": "", "statement": "", "notice": None}
    values.update(context)
    report: EligibilityReport | None = values["report"]
    return render(request, "policies.html", status_code=status_code,
                  inbox=eligibility.inbox(user.id) if talent and user else [],
                  subscription=eligibility.subscription(user.id) if talent and user else None,
                  fact_labels=_FACT_LABELS, source_labels=_SOURCE_LABELS,
                  known=report.facts.known() if report else {}, **values)


def _parse_facts_json(text: str) -> PersonFacts | None:
    if not text.strip():
        return None
    if len(text) > MAX_FACTS_JSON:
        raise InvalidInputError("已知情况的数据过长，请重新开始。")
    try:
        return PersonFacts.model_validate_json(text)
    except ValidationError as exc:
        raise InvalidInputError("已知情况的数据无效，请重新开始。") from exc


@router.get("/policies", include_in_schema=False)
def policies_page(request: Request, eligibility: EligibilityDep, market: MarketDep) -> Response:
    facts = _profile_facts(request, eligibility, market)
    if facts is None:
        return _page(request, eligibility)
    report = eligibility.evaluate(facts)
    return _page(request, eligibility, report=report, facts_json=facts.model_dump_json())


@router.post("/policies", include_in_schema=False, dependencies=[CsrfChecked])
def policies_form(
    request: Request, eligibility: EligibilityDep, resumes: ResumesDep, market: MarketDep,
    file: Annotated[UploadFile | None, File()] = None,
    statement: Annotated[str, Form(max_length=2000)] = "",
    facts_json: Annotated[str, Form(max_length=MAX_FACTS_JSON)] = "",
    key: Annotated[str, Form(max_length=300)] = "",
    answer: Annotated[str, Form(pattern="^(yes|no|)$")] = "",
    subscribe: Annotated[str, Form(pattern="^(on|off|)$")] = "",
) -> Response:
    """Upload a résumé and/or describe oneself, or answer one question; the checklist is evaluated again."""
    try:
        facts = _parse_facts_json(facts_json)
        if file is not None and file.filename:
            data = file.file.read(resumes.settings.resume_max_bytes + 1)
            resume_facts = eligibility.facts_from_resume(resumes.read(data, file.filename))
            facts = resume_facts if facts is None else facts.merged(resume_facts)
        answers = {key: answer == "yes"} if key and answer else None
        facts = _facts(eligibility, facts, statement, answers)
        if not facts.known() and not facts.answers:
            raise InvalidInputError("请上传简历，或写明您的学历、年龄、工作年限、工作所在区县等情况。")
        notice = None
        user = current_user(request)
        if subscribe and user is not None and user.role == "talent":
            eligibility.subscribe(user.id, facts, subscribe == "on")
            notice = "已开启政策推送：有新的或修订的政策适合您时，会出现在本页的消息中。" if subscribe == "on" \
                else "已关闭政策推送。"
        report = eligibility.evaluate(facts)
    except AssistantError as exc:
        return _page(request, eligibility, status_code=exc.http_status, error=str(exc), statement=statement,
                     facts_json=facts_json)
    return _page(request, eligibility, report=report, facts_json=facts.model_dump_json(), notice=notice)


# --- JSON API ------------------------------------------------------------------------------------------------------
@router.post("/api/eligibility", summary="政策条件核对", response_model=EligibilityReport, tags=["政策"],
             dependencies=[CsrfChecked])
def eligibility_api(body: EligibilityRequest, eligibility: EligibilityDep) -> EligibilityReport:
    """Every policy and project call's verdict (符合 / 可能符合 / 不符合) for the person described, each condition
    with its status, reason and cited passage, the amounts, materials, deadline and the questions to settle unknowns.

    Send `facts` back with `answers` (condition key → true/false) to settle questions one by one.
    """
    facts = _facts(eligibility, body.facts, body.statement, body.answers)
    if not facts.known() and not facts.answers:
        raise InvalidInputError("请写明您的情况（statement），或传入已知的 facts。")
    return eligibility.evaluate(facts)


@router.post("/api/eligibility/resume", summary="按简历核对政策条件", response_model=EligibilityReport, tags=["政策"],
             dependencies=[CsrfChecked])
def eligibility_resume_api(
    eligibility: EligibilityDep, resumes: ResumesDep,
    file: Annotated[UploadFile, File(description="简历文件：PDF、DOCX、TXT 或 Markdown")],
    statement: Annotated[str, Form(max_length=2000, description="可选：补充的自述情况")] = "",
) -> EligibilityReport:
    """The same check with the facts an uploaded résumé states (marked from_resume), plus an optional statement."""
    data = file.file.read(resumes.settings.resume_max_bytes + 1)
    facts = eligibility.facts_from_resume(resumes.read(data, file.filename or "resume"))
    return eligibility.evaluate(_facts(eligibility, facts, statement))


@router.get("/api/eligibility/inbox", summary="我的政策推送", response_model=list[InboxEntry], tags=["政策"])
def inbox_api(eligibility: EligibilityDep, user: Talent) -> list[InboxEntry]:
    """Notices about new or changed documents the talent's saved facts qualify (or may qualify) for, newest first."""
    return eligibility.inbox(user.id)


@router.get("/api/eligibility/conditions/{doc_id}", summary="文件的条件", response_model=ConditionSet, tags=["政策"])
def conditions_api(doc_id: str, eligibility: EligibilityDep) -> ConditionSet:
    """A policy or project call's conditions as its sidecar holds them (or as extracted, when it has none yet)."""
    return eligibility.conditions(doc_id[:200])[1]


# --- staff ---------------------------------------------------------------------------------------------------------
@router.get("/staff/eligibility", include_in_schema=False)
def staff_list(request: Request, eligibility: EligibilityDep, user: Staff) -> Response:
    rows = [(meta, conditions) for meta, conditions in eligibility.documents()]
    return render(request, "eligibility/staff_list.html", rows=rows, tab="eligibility")


@router.get("/staff/eligibility/{doc_id}", include_in_schema=False)
def staff_document(request: Request, doc_id: str, eligibility: EligibilityDep, user: Staff,
                   saved: bool = False) -> Response:
    meta, conditions, _ = eligibility.conditions(doc_id[:200])
    return render(request, "eligibility/staff_document.html", meta=meta, conditions=conditions,
                  text=dump_sidecar(conditions), error=None, saved=saved, tab="eligibility")


@router.post("/staff/eligibility/{doc_id}", include_in_schema=False, dependencies=[CsrfChecked])
def staff_save(request: Request, doc_id: str, eligibility: EligibilityDep, user: Staff,
               text: Annotated[str, Form(max_length=200_000)]) -> Response:
    meta, conditions, _ = eligibility.conditions(doc_id[:200])
    try:
        eligibility.save_reviewed(doc_id, parse_sidecar_text(text), user.username)
    except AssistantError as exc:
        return render(request, "eligibility/staff_document.html", status_code=exc.http_status, meta=meta,
                      conditions=conditions, text=text, error=str(exc), saved=False, tab="eligibility")
    return RedirectResponse(f"/staff/eligibility/{meta.id}?saved=true", status_code=303)
