"""`TalentMarket`: the use cases of the résumé, jobs and employer pages, over the job library and the market store."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.config import Settings
from assistant.errors import AssistantError, InvalidInputError
from assistant.jobs.fairness import PostingCheck, check_posting
from assistant.jobs.library import Library
from assistant.jobs.matching import MatchResult, explain_pair, load_weights
from assistant.jobs.models import JobPosting
from assistant.jobs.resume_profile import profile_from_resume
from assistant.jobs.service import JobMatchRequest, match, open_library
from assistant.market.candidates import REGISTERED_PREFIX, mask_name, rank_candidates
from assistant.market.job_catalogue import Facets, JobPage, JobQuery, JobSummary, job_catalogue, summarize
from assistant.market.models import Candidate, Contact, Invitation, MarketPosting, SavedProfile
from assistant.market.policies import eligible_policies
from assistant.market.posting_review import PostingDraft, PostingVerdict, review_draft
from assistant.market.resume_report import ResumeReport, build_report
from assistant.market.skill_targets import library_skill_index, resolve_target_skills, title_skill_report
from assistant.market.store import STORE_FILE, MarketStore, RecordNotFoundError
from assistant.policy.service import PolicyService
from assistant.resume.models import ParsedResume
from assistant.resume.parsing import parse_resume_bytes
from assistant.resume.review import review_resume
from assistant.resume.targets import split_postings
from assistant.skills.analysis import SkillReport

MATCHED_JOBS = 5


class JobDetail(BaseModel):
    """A job's page: the posting, its title's high-frequency skills, its wording check, and the viewer's match."""

    job: JobPosting
    summary: JobSummary
    skills: SkillReport | None
    check: PostingCheck
    match: MatchResult | None = None
    match_note: str | None = None


class PublishResult(BaseModel):
    """The verdict of the posting check and, when publishable, the stored posting."""

    verdict: PostingVerdict
    posting: MarketPosting | None = None


class ProfileView(BaseModel):
    """What a talent sees of their own standing in the market."""

    profile: SavedProfile | None
    invitations: list[Invitation] = Field(default_factory=list)


class InvitationView(BaseModel):
    """An invitation as its employer sees it: the contact appears once a registered talent accepts."""

    invitation: Invitation
    display_name: str
    contact: Contact | None = None


class TalentMarket:
    """Résumé reports, job search, talent profiles and opt-in, employer postings, candidates and invitations."""

    def __init__(self, settings: Settings, store: MarketStore | None = None) -> None:
        self.settings = settings
        self.store = store or MarketStore(settings.data_dir / STORE_FILE)

    def library(self) -> Library:
        """The built job library; IndexNotReadyError when `assistant jobs build` has not run."""
        return open_library(self.settings)

    def _library_or_none(self) -> Library | None:
        try:
            return self.library()
        except AssistantError:
            return None

    def warm_up(self) -> None:
        """Read the job catalogue and the postings' skill index now (seconds on a full library), if a library exists."""
        library = self._library_or_none()
        if library is not None:
            job_catalogue(library)
            library_skill_index(self.settings)

    # --- résumé ---------------------------------------------------------------------------------------------
    def parse(self, data: bytes, filename: str) -> ParsedResume:
        """Parse an upload (type from its content) within the configured size limit."""
        return parse_resume_bytes(data, filename or "resume", max_bytes=self.settings.resume_max_bytes)

    def review(self, data: bytes, filename: str, target: str | None = None, postings_text: str = "",
               assistant: PolicyService | None = None) -> ResumeReport:
        """The full report of an uploaded résumé against a target job (library title or pasted postings)."""
        resume = self.parse(data, filename)
        target = (target or "").strip() or None
        postings = split_postings(postings_text) if postings_text.strip() else []
        skills, note = resolve_target_skills(self.settings, target, postings)
        review = review_resume(resume, target_skills=skills, target_note=note, today=self.settings.current_date())
        profile = profile_from_resume(resume, review.fields)
        if target and not profile.desired_titles:
            profile = profile.model_copy(update={"desired_titles": [target]})
        library, matches, jobs_note = self._library_or_none(), [], None
        if library is None:
            jobs_note = "岗位库尚未建立（assistant jobs build），暂无岗位推荐。"
        else:
            try:
                matches = match(JobMatchRequest(direction="jobs_for_talent", talent=profile, top_k=MATCHED_JOBS),
                                self.settings, library).results
            except InvalidInputError as exc:
                jobs_note = f"无法推荐岗位：{exc}"
            if not matches and jobs_note is None:
                jobs_note = "没有满足硬性条件的岗位。"
        policies, policies_note = ([], "政策知识库不可用。") if assistant is None else \
            eligible_policies(assistant, review.fields, profile)
        return build_report(resume, review, target=target, target_skills=skills, profile=profile, matches=matches,
                            library=library, jobs_note=jobs_note, policies=policies, policies_note=policies_note)

    def save_profile(self, user_id: int, display_name: str, data: bytes, filename: str, opt_in: bool) -> SavedProfile:
        """Parse the résumé and store it as the talent's profile (with its contact data, shown only on acceptance)."""
        resume = self.parse(data, filename)
        fields = review_resume(resume, today=self.settings.current_date()).fields
        profile = profile_from_resume(resume, fields, profile_id=f"{REGISTERED_PREFIX}{user_id}")
        if profile.is_empty():
            raise InvalidInputError("简历中没有识别出职位、技能、学历或工作年限，无法生成求职档案。")
        contact = Contact(name=fields.name or display_name, phones=fields.phones, emails=fields.emails)
        return self.store.save_profile(user_id, display_name, profile, contact, resume.source, opt_in)

    def set_opt_in(self, user_id: int, opt_in: bool) -> SavedProfile:
        """Agree (or stop agreeing) to be recommended to employers."""
        return self.store.set_opt_in(user_id, opt_in)

    def profile_view(self, user_id: int) -> ProfileView:
        """The talent's saved profile and the invitations addressed to them."""
        return ProfileView(profile=self.store.profile(user_id), invitations=self.store.invitations_for_talent(user_id))

    def decide(self, user_id: int, invitation_id: int, accept: bool) -> Invitation:
        """Accept or decline one's own pending invitation."""
        return self.store.decide(invitation_id, user_id, accept)

    # --- jobs -----------------------------------------------------------------------------------------------
    def search_jobs(self, query: JobQuery) -> JobPage:
        """One page of library jobs matching the filters."""
        return job_catalogue(self.library()).search(query)

    def facets(self) -> Facets:
        """Filter values offered by the job search and the target picker."""
        return job_catalogue(self.library()).facets

    def job_detail(self, job_id: str, user_id: int | None = None) -> JobDetail:
        """A library job with its title's skill analysis and, for a talent with a saved profile, the match."""
        try:
            job = self.library().posting(job_id)
        except InvalidInputError as exc:
            raise RecordNotFoundError(str(exc)) from exc
        skills = title_skill_report(self.settings, job.title)
        detail = JobDetail(job=job, summary=summarize(job), skills=skills,
                           check=check_posting(f"{job.title}\n{job.description}"))
        if user_id is not None:
            saved = self.store.profile(user_id)
            if saved is None:
                detail.match_note = "保存求职档案后，这里会逐项说明你与该岗位的匹配情况。"
            else:
                detail.match = explain_pair(job, saved.profile, load_weights(self.settings.match_weights),
                                            self.library().vocab)
        return detail

    # --- employers ------------------------------------------------------------------------------------------
    def check_draft(self, draft: PostingDraft, acknowledged: list[str] | None = None) -> PostingVerdict:
        """The posting check of a draft, without storing anything."""
        draft.to_job()
        return review_draft(draft, acknowledged or [])

    def publish(self, employer_id: int, company: str, draft: PostingDraft, acknowledged: list[str]) -> PublishResult:
        """Store the posting when the check allows it; otherwise return the verdict that blocks it."""
        job = draft.to_job()
        verdict = review_draft(draft, acknowledged)
        if not verdict.publishable:
            return PublishResult(verdict=verdict)
        confirmed = sorted(set(acknowledged) & {f.issue.kind for f in verdict.issues})
        return PublishResult(verdict=verdict, posting=self.store.add_posting(employer_id, company, job, verdict.check,
                                                                            confirmed))

    def postings(self, employer_id: int) -> list[MarketPosting]:
        """The employer's own postings."""
        return self.store.postings(employer_id)

    def posting(self, employer_id: int, posting_id: int) -> MarketPosting:
        """One of the employer's own postings (another employer's reads as not found)."""
        return self.store.posting(posting_id, employer_id)

    def candidates(self, employer_id: int, posting_id: int, top_k: int = 10) -> list[Candidate]:
        """Ranked opted-in candidates for one of the employer's postings, with invitations and permitted contacts."""
        posting = self.store.posting(posting_id, employer_id)
        return rank_candidates(posting.job, self.store.opted_in_profiles(), self._library_or_none(),
                               load_weights(self.settings.match_weights), self.store.invitations_for_posting(posting),
                               top_k)

    def invite(self, employer_id: int, posting_id: int, talent_ref: str, message: str = "") -> Invitation:
        """Invite an opted-in candidate (registered talent or demo record) to interview for the employer's posting."""
        posting = self.store.posting(posting_id, employer_id)
        if len(message) > 500:
            raise InvalidInputError("邀约留言最多 500 字。")
        if talent_ref.startswith(REGISTERED_PREFIX):
            try:
                user_id = int(talent_ref.removeprefix(REGISTERED_PREFIX))
            except ValueError:
                raise InvalidInputError(f"无效的候选人编号：{talent_ref}") from None
            saved = self.store.profile(user_id)
            if saved is None or not saved.opt_in:
                raise InvalidInputError("该人才未同意被推荐，不能发出邀约。")
            return self.store.invite(posting, talent_ref, user_id, message)
        library = self.library()
        library.talent(talent_ref)  # InvalidInputError when unknown
        return self.store.invite(posting, talent_ref, None, message)

    def posting_invitations(self, employer_id: int, posting_id: int) -> list[InvitationView]:
        """The invitations of one of the employer's postings, with contact data where the talent accepted."""
        posting = self.store.posting(posting_id, employer_id)
        views, library = [], self._library_or_none()
        for ref, invitation in sorted(self.store.invitations_for_posting(posting).items(), key=lambda kv: -kv[1].id):
            saved = self.store.profile(invitation.talent_user_id) if invitation.talent_user_id is not None else None
            if saved is None:
                name = mask_name(library.talent(ref).name) if library is not None else ref
                views.append(InvitationView(invitation=invitation, display_name=name))
                continue
            accepted = invitation.status == "accepted"
            views.append(InvitationView(invitation=invitation,
                                        display_name=saved.contact.name if accepted else mask_name(saved.contact.name or saved.display_name),
                                        contact=saved.contact if accepted else None))
        return views
