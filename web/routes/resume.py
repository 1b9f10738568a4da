"""/resume: upload a résumé, get the report; talents save it as their profile, opt in, and answer invitations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from assistant.errors import AssistantError
from assistant.market.models import Invitation, SavedProfile
from assistant.market.resume_report import ResumeReport
from assistant.market.service import ProfileView, TalentMarket
from assistant.skills.analysis import SkillReport
from web.auth import User, current_user, require_role
from web.deps import MarketDep, SkillsDep
from web.security import RecordId, verify_csrf
from web.templating import render

router = APIRouter()
CsrfChecked = Depends(verify_csrf)
Talent = Annotated[User, Depends(require_role("talent"))]
ResumeFile = Annotated[UploadFile, File(description="简历文件：PDF、DOCX、TXT 或 Markdown（按内容识别类型）")]
MaybeFile = Annotated[UploadFile | None, File(description="简历文件；已登录人才不选则使用已保存的简历")]
TargetField = Annotated[str, Form(max_length=100, description="目标岗位名称（岗位库中的职位名）")]
PostingsField = Annotated[
    str, Form(max_length=50_000, description="可选：粘贴的目标岗位描述，多份之间空一行或用 --- 分隔")
]


class TargetSkills(BaseModel):
    """A library job title's high-frequency skills."""

    title: str
    report: SkillReport | None


class OptIn(BaseModel):
    """Whether the talent agrees to be recommended to employers."""

    opt_in: bool = Field(description="true：同意向招聘方推荐（不含联系方式，接受邀约后才公开）")


class Decision(BaseModel):
    """A talent's answer to an interview invitation."""

    accept: bool = Field(description="true 接受邀约（招聘方随后可见联系方式），false 婉拒")


def read_upload(upload: UploadFile, market: TalentMarket) -> tuple[bytes, str]:
    """The uploaded bytes, read no further than one byte past the size limit (the parser reports oversize)."""
    return upload.file.read(market.settings.resume_max_bytes + 1), upload.filename or "resume"


def _page(request: Request, market: TalentMarket, status_code: int = 200, **context: object) -> Response:
    user = current_user(request)
    try:
        titles = market.facets().titles
    except AssistantError:
        titles = []
    view = market.profile_view(user.id) if user is not None and user.role == "talent" else None
    saved_target = next(iter(view.profile.profile.desired_titles), "") if view and view.profile else ""
    values: dict[str, object] = {"report": None, "error": None, "target": saved_target, "postings": "",
                                 "notice": None}
    values.update(context)
    return render(request, "resume.html", status_code=status_code, titles=titles, view=view,
                  max_mb=market.settings.resume_max_bytes / 1024 / 1024, **values)


@router.get("/resume", include_in_schema=False)
def resume_page(request: Request, market: MarketDep) -> Response:
    return _page(request, market)


@router.post("/resume", include_in_schema=False, dependencies=[CsrfChecked])
def resume_form(request: Request, market: MarketDep, file: MaybeFile = None, target: TargetField = "",
                postings: PostingsField = "", save: Annotated[bool, Form()] = False,
                opt_in: Annotated[bool, Form()] = False) -> Response:
    user = current_user(request)
    talent = user is not None and user.role == "talent"
    if talent and user is not None and not target.strip():
        target = market.saved_target(user.id) or ""  # a logged-in talent's saved target is the default
    data, filename = read_upload(file, market) if file is not None and file.filename else (b"", "")
    if not data and talent and user is not None and (saved := market.saved_resume(user.id)) is not None:
        data, filename = saved  # and the saved résumé, when no file is chosen
        save = False
    elif not data and (file is None or not file.filename):
        return _page(request, market, status_code=422, error="请选择简历文件。", target=target, postings=postings)
    try:
        report = market.review(data, filename, target, postings)
        notice = None
        if save and talent and user is not None:
            market.save_profile(user.id, user.display_name, data, filename, opt_in, target)
            notice = "已保存为你的求职档案" + ("，并同意向招聘方推荐。" if opt_in else "（未开启推荐）。")
    except AssistantError as exc:
        return _page(request, market, status_code=exc.http_status, error=str(exc), target=target, postings=postings)
    return _page(request, market, report=report, target=target, postings=postings, notice=notice)


@router.post("/resume/opt-in", include_in_schema=False, dependencies=[CsrfChecked])
def opt_in_form(market: MarketDep, user: Talent, opt_in: Annotated[bool, Form()] = False) -> Response:
    market.set_opt_in(user.id, opt_in)
    return RedirectResponse("/resume#profile", status_code=303)


@router.post("/resume/invitations/{invitation_id}", include_in_schema=False, dependencies=[CsrfChecked])
def decide_form(invitation_id: RecordId, market: MarketDep, user: Talent,
                decision: Annotated[str, Form(pattern="^(accept|decline)$")]) -> Response:
    market.decide(user.id, invitation_id, decision == "accept")
    return RedirectResponse("/resume#invitations", status_code=303)


@router.post("/api/resume/review", summary="简历评估报告", response_model=ResumeReport, tags=["简历"],
             dependencies=[CsrfChecked])
def review_api(request: Request, market: MarketDep, file: ResumeFile, target: TargetField = "",
               postings: PostingsField = "") -> ResumeReport:
    """Score, components, suggestions beside their lines, target-skill coverage, matching jobs and cited policies.

    Works without login; a logged-in talent's saved target is used when `target` is empty. The file type is read
    from its content; the size limit is `resume_max_bytes`.
    """
    data, filename = read_upload(file, market)
    user = current_user(request)
    if user is not None and user.role == "talent" and not target.strip():
        target = market.saved_target(user.id) or ""
    return market.review(data, filename, target, postings)


@router.get("/api/resume/target-skills", summary="目标岗位的高频技能", response_model=TargetSkills, tags=["简历"])
def target_skills_api(skills: SkillsDep, title: str) -> TargetSkills:
    """High-frequency skills of the library postings whose title is like `title` (null report when none)."""
    return TargetSkills(title=title, report=skills.title_report(title[:100]))


@router.get("/api/talent/profile", summary="我的求职档案与邀约", response_model=ProfileView, tags=["人才"])
def profile_api(market: MarketDep, user: Talent) -> ProfileView:
    """The logged-in talent's saved profile (null when none) and the interview invitations addressed to them."""
    return market.profile_view(user.id)


@router.post("/api/talent/profile", summary="保存简历为求职档案", response_model=SavedProfile, tags=["人才"],
             dependencies=[CsrfChecked])
def save_profile_api(market: MarketDep, user: Talent, file: ResumeFile,
                     opt_in: Annotated[bool, Form(description="是否同意向招聘方推荐")] = False) -> SavedProfile:
    """Parse the résumé and store it as the talent's profile
    (contact data is shown only after an accepted invitation)."""
    data, filename = read_upload(file, market)
    return market.save_profile(user.id, user.display_name, data, filename, opt_in)


@router.post("/api/talent/opt-in", summary="是否同意被推荐给招聘方", response_model=SavedProfile, tags=["人才"],
             dependencies=[CsrfChecked])
def opt_in_api(body: OptIn, market: MarketDep, user: Talent) -> SavedProfile:
    """Turn recommendation to employers on or off (needs a saved profile)."""
    return market.set_opt_in(user.id, body.opt_in)


@router.post("/api/talent/invitations/{invitation_id}", summary="接受或婉拒面试邀约", response_model=Invitation,
             tags=["人才"], dependencies=[CsrfChecked])
def decide_api(invitation_id: RecordId, body: Decision, market: MarketDep, user: Talent) -> Invitation:
    """Answer one's own pending invitation; accepting lets the employer see the contact data."""
    return market.decide(user.id, invitation_id, body.accept)
