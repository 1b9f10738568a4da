"""`TalentMarket`: the use cases of the résumé, jobs and employer pages, over the shared services and market store."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.config import Settings
from assistant.eligibility.service import EligibilityService
from assistant.errors import IndexNotReadyError, InvalidInputError
from assistant.jobs.explain import explain
from assistant.jobs.fairness import PostingCheck, check_posting
from assistant.jobs.matching import MatchResult
from assistant.jobs.models import JobPosting
from assistant.jobs.resume_profile import profile_from_resume
from assistant.jobs.search import Facets, JobPage, JobQuery, JobSummary, summarize
from assistant.jobs.service import JobService
from assistant.market.candidates import REGISTERED_PREFIX, mask_name, parse_talent_ref, rank_candidates
from assistant.market.models import Candidate, Contact, Invitation, MarketPosting, SavedProfile
from assistant.market.policies import eligible_policies
from assistant.market.posting_review import PostingDraft, PostingVerdict, review_draft
from assistant.market.resume_report import ResumeReport, build_report
from assistant.market.store import STORE_FILE, MarketStore, RecordNotFoundError
from assistant.policy.service import PolicyService
from assistant.resume.service import ResumeService
from assistant.skills.analysis import SkillReport, split_postings
from assistant.skills.service import SkillService

MATCHED_JOBS = 5


class JobDetail(BaseModel):
    """A job's page: the posting, its title's high-frequency skills, its wording check, and the viewer's match."""

    job: JobPosting
    summary: JobSummary
    skills: SkillReport | None
    check: PostingCheck
    match: MatchResult | None = None
    strengths: list[str] = Field(
        default_factory=list, description="Of the viewer's match: the best-fitting dimensions."
    )
    gaps: list[str] = Field(default_factory=list, description="Of the viewer's match: the dimensions that cost most.")
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

    def __init__(self, settings: Settings, *, jobs: JobService, skills: SkillService, resumes: ResumeService,
                 policy: PolicyService, store: MarketStore | None = None,
                 eligibility: EligibilityService | None = None) -> None:
        self.settings = settings
        self.jobs = jobs
        self.skills = skills
        self.resumes = resumes
        self.policy = policy
        self.eligibility = eligibility or EligibilityService(settings, policy)
        self.store = store or MarketStore(settings.data_dir / STORE_FILE)

    def warm_up(self) -> None:
        """Build the job catalogue and the postings' skill index now (seconds on a full library), if they exist."""
        self.jobs.warm_up()
        self.skills.index()

    # --- résumé ---------------------------------------------------------------------------------------------
    def review(self, data: bytes, filename: str, target: str | None = None, postings_text: str = "") -> ResumeReport:
        """The full report of an uploaded résumé against a target job (library title or pasted postings)."""
        document = self.resumes.read(data, filename)
        target = (target or "").strip() or None
        postings = split_postings(postings_text) if postings_text.strip() else []
        review, wanted = self.resumes.review(document, target, postings)
        profile = profile_from_resume(document.parsed, document.fields)
        if target and not profile.desired_titles:
            profile = profile.model_copy(update={"desired_titles": [target]})
        matches: list[tuple[MatchResult, JobPosting]] = []
        jobs_note = None
        try:
            matches = self.jobs.jobs_for(profile, MATCHED_JOBS)
        except IndexNotReadyError:
            jobs_note = "岗位库尚未建立（assistant jobs build），暂无岗位推荐。"
        except InvalidInputError as exc:
            jobs_note = f"无法推荐岗位：{exc}"
        if not matches and jobs_note is None:
            jobs_note = "没有满足硬性条件的岗位。"
        policies, policies_note = eligible_policies(self.eligibility, document)
        return build_report(document.parsed, review, target=target, target_skills=wanted.skills, profile=profile,
                            matches=matches, jobs_note=jobs_note, policies=policies, policies_note=policies_note)

    def save_profile(self, user_id: int, display_name: str, data: bytes, filename: str, opt_in: bool,
                     target: str | None = None) -> SavedProfile:
        """Parse the résumé and store it as the talent's profile (with its contact data, shown only on acceptance);
        a `target` job the talent named comes first among the desired titles (their default target afterwards)."""
        document = self.resumes.read(data, filename)
        fields = document.fields
        profile = profile_from_resume(document.parsed, fields, profile_id=f"{REGISTERED_PREFIX}{user_id}")
        target = (target or "").strip()
        if target:
            titles = [target, *(title for title in profile.desired_titles if title != target)]
            profile = profile.model_copy(update={"desired_titles": titles})
        if profile.is_empty():
            raise InvalidInputError("简历中没有识别出职位、技能、学历或工作年限，无法生成求职档案。")
        contact = Contact(name=fields.name or display_name, phones=fields.phones, emails=fields.emails)
        return self.store.save_profile(user_id, display_name, profile, contact, document.parsed.source, opt_in,
                                       resume_data=data)

    def saved_resume(self, user_id: int) -> tuple[bytes, str] | None:
        """The talent's saved résumé file (bytes, name), reviewed by default where they upload none."""
        return self.store.saved_resume(user_id)

    def saved_target(self, user_id: int) -> str | None:
        """The talent's default target job: the first desired title of their saved profile (None without one)."""
        saved = self.store.profile(user_id)
        return next(iter(saved.profile.desired_titles), None) if saved is not None else None

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
        return self.jobs.catalogue().search(query)

    def facets(self) -> Facets:
        """Filter values offered by the job search and the target picker."""
        return self.jobs.catalogue().facets

    def job_detail(self, job_id: str, user_id: int | None = None) -> JobDetail:
        """A library job with its title's skill analysis and, for a talent with a saved profile, the match."""
        try:
            job = self.jobs.library().posting(job_id)
        except InvalidInputError as exc:
            raise RecordNotFoundError(str(exc)) from exc
        detail = JobDetail(job=job, summary=summarize(job), skills=self.skills.title_report(job.title),
                           check=check_posting(f"{job.title}\n{job.description}"))
        if user_id is not None:
            saved = self.store.profile(user_id)
            if saved is None:
                detail.match_note = "保存求职档案后，这里会逐项说明你与该岗位的匹配情况。"
            else:
                detail.match = self.jobs.explain_pair(job, saved.profile)
                detail.strengths, detail.gaps = explain(detail.match)
        return detail

    # --- employers ------------------------------------------------------------------------------------------
    def check_draft(self, draft: PostingDraft, acknowledged: list[str] | None = None) -> PostingVerdict:
        """The posting check of a draft, without storing anything."""
        draft = draft.with_canonical_skills(self.skills.lexicon())
        draft.to_job()
        return review_draft(draft, acknowledged or [])

    def publish(self, employer_id: int, company: str, draft: PostingDraft, acknowledged: list[str]) -> PublishResult:
        """Store the posting when the check allows it; otherwise return the verdict that blocks it."""
        draft = draft.with_canonical_skills(self.skills.lexicon())
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
        return rank_candidates(posting.job, self.store.opted_in_profiles(), self.jobs,
                               self.store.invitations_for_posting(posting), top_k)

    def invite(self, employer_id: int, posting_id: int, talent_ref: str, message: str = "") -> Invitation:
        """Invite an opted-in candidate (registered talent or demo record) to interview for the employer's posting."""
        posting = self.store.posting(posting_id, employer_id)
        if len(message) > 500:
            raise InvalidInputError("邀约留言最多 500 字。")
        user_id = parse_talent_ref(talent_ref)  # one canonical spelling per talent, or InvalidInputError
        if user_id is not None:
            saved = self.store.profile(user_id)
            if saved is None or not saved.opt_in:
                raise InvalidInputError("该人才未同意被推荐，不能发出邀约。")
            return self.store.invite(posting, f"{REGISTERED_PREFIX}{user_id}", user_id, message)
        self.jobs.library().talent(talent_ref)  # InvalidInputError when unknown
        return self.store.invite(posting, talent_ref, None, message)

    def posting_invitations(self, employer_id: int, posting_id: int) -> list[InvitationView]:
        """The invitations of one of the employer's postings, with contact data where the talent accepted."""
        posting = self.store.posting(posting_id, employer_id)
        views, library = [], self.jobs.library_or_none()
        for ref, invitation in sorted(self.store.invitations_for_posting(posting).items(), key=lambda kv: -kv[1].id):
            saved = self.store.profile(invitation.talent_user_id) if invitation.talent_user_id is not None else None
            if saved is None:
                name = mask_name(library.talent(ref).name) if library is not None else ref
                views.append(InvitationView(invitation=invitation, display_name=name))
                continue
            accepted = invitation.status == "accepted"
            name = saved.contact.name if accepted else mask_name(saved.contact.name or saved.display_name)
            views.append(InvitationView(invitation=invitation, display_name=name,
                                        contact=saved.contact if accepted else None))
        return views
