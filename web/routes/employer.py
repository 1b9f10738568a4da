"""/employer: post a job (the posting check runs first), see ranked opted-in candidates, send interview invitations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from assistant.errors import AssistantError
from assistant.jobs.models import EDUCATION_NAMES
from assistant.market.models import Candidate, Invitation, MarketPosting
from assistant.market.posting_review import KIND_LABELS, PostingDraft, PostingVerdict
from assistant.market.service import InvitationView, PublishResult, TalentMarket
from assistant.vocab.catalogue import load_catalogue
from web.auth import User, require_role
from web.deps import MarketDep
from web.security import RecordId, verify_csrf
from web.templating import render

router = APIRouter()
CsrfChecked = Depends(verify_csrf)
# Staff use the same tools under their own account (e.g. to check an ad for a walk-in employer); ids keep them apart.
Employer = Annotated[User, Depends(require_role("employer", "staff"))]
CANDIDATES = 10


class PostingRequest(PostingDraft):
    """A job to publish, with the flagged requirement kinds the employer confirms as necessary for the job."""

    acknowledged: list[str] = Field(
        default_factory=list, description="如 [\"age\"]：确认该要求为岗位所必需（仅年龄、外貌身高可确认）"
    )


class PostingCandidates(BaseModel):
    """One posting with its ranked candidates and its invitations."""

    posting: MarketPosting
    candidates: list[Candidate]
    invitations: list[InvitationView]


class InvitationRequest(BaseModel):
    """Invite one candidate of the posting."""

    talent_ref: str = Field(max_length=80, description="候选人编号：注册人才为 user:<id>，演示记录为库中编号")
    message: str = Field(default="", max_length=500, description="给候选人的留言")


def company_of(user: User) -> str:
    """The employer's company name as shown to talents."""
    return user.display_name or user.username


def _form_page(request: Request, market: TalentMarket, user: User, status_code: int = 200, *,
               form: dict[str, object] | None = None, verdict: PostingVerdict | None = None,
               error: str | None = None) -> Response:
    catalogue = load_catalogue()
    return render(request, "employer.html", status_code=status_code, postings=market.postings(user.id),
                  districts=catalogue.districts, industries=catalogue.industries,
                  education_names=list(EDUCATION_NAMES.values()), issue_labels=KIND_LABELS,
                  form=form or {}, verdict=verdict, error=error)


@router.get("/employer", include_in_schema=False)
def employer_page(request: Request, market: MarketDep, user: Employer) -> Response:
    return _form_page(request, market, user)


def posting_form(title: Annotated[str, Form(max_length=200)], description: Annotated[str, Form(max_length=20000)] = "",
                 district: Annotated[str, Form(max_length=50)] = "", industry: Annotated[str, Form(max_length=50)] = "",
                 education: Annotated[str, Form(max_length=20)] = "学历不限",
                 years_min: Annotated[float, Form(ge=0, le=60)] = 0, salary: Annotated[str, Form(max_length=40)] = "",
                 skills: Annotated[str, Form(max_length=1000)] = "") -> dict[str, object]:
    """The posting form's fields, as typed (shown again with the verdict or error)."""
    return {"title": title, "description": description, "district": district, "industry": industry,
            "education": education, "years_min": years_min, "salary": salary, "skills": skills}


PostingForm = Annotated[dict[str, object], Depends(posting_form)]


@router.post("/employer/postings", include_in_schema=False, dependencies=[CsrfChecked])
def post_form(request: Request, market: MarketDep, user: Employer, form: PostingForm,
              acknowledged: Annotated[list[str] | None, Form()] = None,
              action: Annotated[str, Form(pattern="^(publish|use_rewrite)$")] = "publish") -> Response:
    try:
        draft = PostingDraft.model_validate(form)
        if action == "use_rewrite":
            checked = market.check_draft(draft)
            if checked.issues and not checked.rewrite:  # nothing publishable would be left: keep the employer's text
                return _form_page(request, market, user, 422, form=form, verdict=checked,
                                  error=checked.rewrite_note)
            draft = draft.model_copy(update={"description": checked.rewrite})
            return _form_page(request, market, user, form={**form, "description": draft.description},
                              verdict=market.check_draft(draft))
        result = market.publish(user.id, company_of(user), draft, acknowledged or [])
    except (AssistantError, ValueError) as exc:
        return _form_page(request, market, user, 422, form=form, error=str(exc))
    if result.posting is None:
        return _form_page(request, market, user, 422, form=form, verdict=result.verdict)
    return RedirectResponse(f"/employer/postings/{result.posting.id}", status_code=303)


@router.get("/employer/postings/{posting_id}", include_in_schema=False)
def posting_page(request: Request, posting_id: RecordId, market: MarketDep, user: Employer) -> Response:
    return render(request, "employer_posting.html", view=_candidates(market, user, posting_id))


@router.post("/employer/postings/{posting_id}/invitations", include_in_schema=False, dependencies=[CsrfChecked])
def invite_form(posting_id: RecordId, market: MarketDep, user: Employer,
                talent_ref: Annotated[str, Form(max_length=80)],
                message: Annotated[str, Form(max_length=500)] = "") -> Response:
    market.invite(user.id, posting_id, talent_ref, message)
    return RedirectResponse(f"/employer/postings/{posting_id}#invitations", status_code=303)


def _candidates(market: TalentMarket, user: User, posting_id: int) -> PostingCandidates:
    return PostingCandidates(posting=market.posting(user.id, posting_id),
                             candidates=market.candidates(user.id, posting_id, CANDIDATES),
                             invitations=market.posting_invitations(user.id, posting_id))


@router.post("/api/employer/check", summary="招聘启事合规检查", response_model=PostingVerdict, tags=["招聘方"],
             dependencies=[CsrfChecked])
def check_api(body: PostingRequest, market: MarketDep, user: Employer) -> PostingVerdict:
    """Flagged wording with the law, severity (`block` or `confirm`), a neutral rewrite; nothing is stored."""
    return market.check_draft(PostingDraft(**body.model_dump(exclude={"acknowledged"})), body.acknowledged)


@router.post("/api/employer/postings", summary="发布岗位", response_model=PublishResult, tags=["招聘方"],
             dependencies=[CsrfChecked])
def post_api(body: PostingRequest, market: MarketDep, user: Employer) -> PublishResult:
    """Publish when the check allows it; otherwise `posting` is null and `verdict` says what blocks it."""
    return market.publish(user.id, company_of(user), PostingDraft(**body.model_dump(exclude={"acknowledged"})),
                          body.acknowledged)


@router.get("/api/employer/postings", summary="我发布的岗位", response_model=list[MarketPosting], tags=["招聘方"])
def postings_api(market: MarketDep, user: Employer) -> list[MarketPosting]:
    """The logged-in employer's own postings, newest first."""
    return market.postings(user.id)


@router.get("/api/employer/postings/{posting_id}", summary="岗位的推荐人才", response_model=PostingCandidates,
            tags=["招聘方"])
def candidates_api(posting_id: RecordId, market: MarketDep, user: Employer) -> PostingCandidates:
    """Ranked opted-in candidates with per-dimension evidence; contact data only after an accepted invitation."""
    return _candidates(market, user, posting_id)


@router.post("/api/employer/postings/{posting_id}/invitations", summary="发出面试邀约", response_model=Invitation,
             tags=["招聘方"], dependencies=[CsrfChecked])
def invite_api(posting_id: RecordId, body: InvitationRequest, market: MarketDep, user: Employer) -> Invitation:
    """Invite a candidate; a registered talent sees it on /resume and may accept or decline."""
    return market.invite(user.id, posting_id, body.talent_ref, body.message)
