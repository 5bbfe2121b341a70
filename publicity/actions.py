"""State changes of the public website: one function each, audited."""

import datetime
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Page,
    Site,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from audit.actions import record
from campaigns.models import Campaign, MainTask
from campaigns.seats import (
    BALLOT,
    OBJECTION_READERS,
    VOTERS,
    acts_for_unit,
    holders,
    holds,
    unit_writers,
)
from core.digits import is_digits
from core.errors import Conflict
from core.masking import scrub_numbers
from core.private_files import TOKEN_BYTES
from notify.actions import notify_on_commit
from org.models import Person, Unit
from publicity import access, confidentiality, notices, review_files
from publicity.model_rules import Tally, award_refusal, close_vote_refusal, tally
from publicity.models import (
    AdvancedModelPage,
    ArticleAttachment,
    ArticleCategory,
    ArticleDayHits,
    ArticleImage,
    ArticlePage,
    BallotChoice,
    CampaignPage,
    FindingDismissal,
    FindingKind,
    HomePage,
    ModelBallot,
    ModelStage,
    Objection,
    PartyWorkPage,
    PublicityReviewTask,
    ReviewFileOpening,
    SubmissionMonthStat,
)
from publicity.uploads import CheckedUpload
from text.articles import ArticleImportError, ParsedArticle, fold_title


def paragraphs_to_html(text: str) -> str:
    return "".join(
        f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip()
    )


@transaction.atomic
def set_up_site(*, site_name: str, home_title: str, actor: Person | None) -> HomePage:
    """Make a HomePage the default site's root, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    welcome = root.get_children().exclude(
        content_type__model="homepage", content_type__app_label="publicity"
    )
    site = Site.objects.filter(is_default_site=True).first()
    for page in welcome.filter(slug="home"):
        if site is not None and site.root_page_id == page.pk:
            site.root_page = root
            site.save(update_fields=["root_page"])
        page.delete()
    home = root.add_child(instance=HomePage(title=home_title, slug="home"))
    home.save_revision(user=actor, log_action=True).publish(user=actor)
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = site_name
    site.save()
    return home


@transaction.atomic
def create_column(
    parent: PartyWorkPage,
    campaign: Campaign,
    *,
    title: str,
    slug: str,
    actor: Person | None,
) -> CampaignPage:
    page = parent.add_child(
        instance=CampaignPage(title=title, slug=slug, campaign=campaign)
    )
    page.save_revision(user=actor, log_action=True).publish(user=actor)
    ensure_review_workflow(page, actor=actor)
    return page


@transaction.atomic
def create_section(
    home: HomePage, *, title: str, slug: str, actor: Person | None
) -> PartyWorkPage:
    page = home.add_child(instance=PartyWorkPage(title=title, slug=slug))
    page.save_revision(user=actor, log_action=True).publish(user=actor)
    return page


@dataclass(frozen=True)
class ArticleImportPlan:
    """What importing an article would store, and what stands in its way."""

    title: str
    slug: str
    category: ArticleCategory
    duplicate: ArticlePage | None
    warnings: list[str]


def plan_article_import(
    parsed: ParsedArticle, column: CampaignPage
) -> ArticleImportPlan:
    """Look before importing: the page it would make, a duplicate, the warnings.

    The same article in the other script, or with other spacing, is a duplicate
    (titles compared folded, on the same date).
    """
    siblings = ArticlePage.objects.child_of(column)
    folded = fold_title(parsed.title)
    duplicate = next(
        (
            page
            for page in siblings.filter(published_on=parsed.published_on)
            if fold_title(page.title) == folded
        ),
        None,
    )
    campaign = column.campaign
    warnings = []
    if not campaign.starts_on <= parsed.published_on <= campaign.ends_on:
        warnings.append(
            _(
                "The article is dated %(date)s, outside the campaign “%(campaign)s” "
                "(%(starts_on)s to %(ends_on)s)."
            )
            % {
                "date": parsed.published_on.isoformat(),
                "campaign": campaign.name,
                "starts_on": campaign.starts_on.isoformat(),
                "ends_on": campaign.ends_on.isoformat(),
            }
        )
    return ArticleImportPlan(
        title=parsed.title,
        slug=_unique_slug(parsed.slug, column),
        category=ArticleCategory.ACTIVITIES,
        duplicate=duplicate,
        warnings=warnings,
    )


def _unique_slug(slug: str, column: CampaignPage) -> str:
    taken = set(column.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


@transaction.atomic
def import_article(
    parsed: ParsedArticle,
    column: CampaignPage,
    *,
    actor: Person | None,
    accept_warnings: bool = False,
) -> ArticlePage:
    """Publish a cleaned article in a campaign column; a second import is refused,
    and so is one with warnings unless they are accepted."""
    # One import into a column at a time, so two copies cannot both pass the check.
    column = CampaignPage.objects.select_for_update().get(pk=column.pk)
    plan = plan_article_import(parsed, column)
    if plan.duplicate is not None:
        raise ArticleImportError(
            _("This article (%(title)s, %(date)s) has already been imported.")
            % {"title": plan.duplicate.title, "date": parsed.published_on.isoformat()}
        )
    if plan.warnings and not accept_warnings:
        raise ArticleImportError(" ".join(plan.warnings))
    page = column.add_child(
        instance=ArticlePage(
            title=parsed.title,
            slug=plan.slug,
            category=plan.category,
            dateline=parsed.dateline,
            source=parsed.source,
            published_on=parsed.published_on,
            body=paragraphs_to_html(parsed.body),
        )
    )
    page.save_revision(user=actor, log_action=True).publish(user=actor)
    record(
        page,
        "sanfu.article.import",
        actor=actor,
        data={"source": parsed.source, "date": parsed.published_on.isoformat()},
    )
    return page


# -- submissions and their review -------------------------------------------------

REVIEW_WORKFLOW_NAME = "Publicity review"


@transaction.atomic
def ensure_review_workflow(column: CampaignPage, *, actor: Person | None) -> Workflow:
    """Bind the publicity group's review to a column (once)."""
    existing = WorkflowPage.objects.filter(page=column).select_related("workflow")
    if existing:
        return existing[0].workflow
    task = PublicityReviewTask.objects.filter(active=True).first()
    if task is None:
        task = PublicityReviewTask.objects.create(name="宣传组审核")
    workflow = Workflow.objects.filter(
        active=True, workflow_tasks__task=task
    ).first() or Workflow.objects.create(name=REVIEW_WORKFLOW_NAME)
    if not workflow.workflow_tasks.exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=column, workflow=workflow)
    return workflow


@dataclass
class ArticleDraft:
    """What a submitter writes; files already checked (publicity.forms)."""

    title: str
    category: str
    summary: str
    body: str
    author: str = ""
    source: str = ""
    published_on: datetime.date | None = None
    main_task: MainTask | None = None
    go_live_at: datetime.datetime | None = None
    images: list[CheckedUpload] = field(default_factory=list)
    attachments: list[CheckedUpload] = field(default_factory=list)
    # the new images' captions, in their order
    captions: list[str] = field(default_factory=list)
    # an attached image's new caption, or None to remove it (by the image's id)
    image_changes: dict[int, str | None] = field(default_factory=dict)


def _may_submit(actor: Person, column: CampaignPage, unit: Unit) -> bool:
    return (
        access.submitter_units(actor).filter(pk=unit.pk).exists()
        and access.columns_for_submitter(actor).filter(pk=column.pk).exists()
    )


def _month(moment: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(moment).replace(day=1)


def _bump(column: CampaignPage, unit: Unit | None, counter: str) -> None:
    if unit is None:
        return
    key = {"campaign_id": column.campaign_id, "unit": unit, "month": _month()}
    updated = SubmissionMonthStat.objects.filter(**key).update(
        **{counter: F(counter) + 1}
    )
    if not updated:
        try:
            with transaction.atomic():
                SubmissionMonthStat.objects.create(**key, **{counter: 1})
        except IntegrityError:
            SubmissionMonthStat.objects.filter(**key).update(
                **{counter: F(counter) + 1}
            )


def _renamed(upload: CheckedUpload, name: str) -> ContentFile[bytes]:
    upload.file.seek(0)
    return ContentFile(upload.file.read(), name=name)


def _store_image(upload: CheckedUpload, actor: Person) -> Any:
    # A draft's image is under MEDIA_ROOT, which serves Wagtail's images to anyone:
    # a random name keeps it from being found before it is published.
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return get_image_model().objects.create(
        title=upload.name,
        file=_renamed(upload, f"{token}{upload.extension}"),
        uploaded_by_user=actor,
    )


def _change_images(page: ArticlePage, changes: dict[int, str | None]) -> None:
    kept = []
    for item in page.images.all():
        change = changes.get(item.image_id, item.caption)
        if change is None:
            continue
        item.caption = change[:200]
        kept.append(item)
    page.images.set(kept)


def _store_files(page: ArticlePage, draft: ArticleDraft, actor: Person) -> None:
    captions = [*draft.captions, *[""] * len(draft.images)]
    for upload, caption in zip(draft.images, captions, strict=False):
        page.images.add(
            ArticleImage(image=_store_image(upload, actor), caption=caption[:200])
        )
    for upload in draft.attachments:
        # served only by Wagtail's document view (publicity.access
        # .may_download_document); the random folder keeps its name unguessable
        token = secrets.token_urlsafe(TOKEN_BYTES)
        document = get_document_model().objects.create(
            title=upload.name,
            file=_renamed(upload, f"{token}/{upload.name}"),
            uploaded_by_user=actor,
        )
        page.attachments.add(ArticleAttachment(document=document))


@transaction.atomic
def save_draft(
    column: CampaignPage,
    draft: ArticleDraft,
    *,
    unit: Unit,
    actor: Person,
    page: ArticlePage | None = None,
) -> ArticlePage:
    """Write a new draft for the actor's unit, or change one not under review."""
    if not _may_submit(actor, column, unit):
        raise PermissionDenied
    today = timezone.localdate()
    fields = {
        "title": draft.title,
        "category": draft.category,
        "summary": draft.summary,
        "body": draft.body,
        "author": draft.author,
        "source": draft.source,
        "published_on": draft.published_on or today,
        "main_task": draft.main_task,
        "go_live_at": draft.go_live_at,
        "source_unit": unit,
    }
    if page is None:
        page = ArticlePage(
            **fields, slug=_free_slug(column), live=False, submitted_by=actor
        )
        column.add_child(instance=page)
        verb = "sanfu.article.draft"
    else:
        page = ArticlePage.objects.select_for_update().get(pk=page.pk)
        if page.source_unit_id != unit.pk or page.get_parent().pk != column.pk:
            raise PermissionDenied
        state = page.current_workflow_state
        if page.live or (state and state.status == WorkflowState.STATUS_IN_PROGRESS):
            raise Conflict(_("This article is under review or published."))
        # an edit without a date keeps the article's own, never today's
        fields["published_on"] = draft.published_on or page.published_on or today
        for name, value in fields.items():
            setattr(page, name, value)
        page.draft_title = page.title
        _change_images(page, draft.image_changes)
        page.save()
        verb = "sanfu.article.edit"
    _store_files(page, draft, actor)
    page.save()
    page.save_revision(user=actor, log_action=True)
    record(page, verb, actor=actor, data={"unit": unit.pk})
    return page


def _free_slug(column: CampaignPage) -> str:
    return f"a-{uuid.uuid4().hex[:12]}"


@transaction.atomic
def submit_article(page: ArticlePage, *, actor: Person) -> WorkflowState:
    """Send a draft to the publicity group, or answer a rejection by resubmitting."""
    page = ArticlePage.objects.select_for_update().get(pk=page.pk)
    column = access.column_of(page)
    if (
        column is None
        or page.source_unit is None
        or not _may_submit(actor, column, page.source_unit)
    ):
        raise PermissionDenied
    if page.live:
        raise Conflict(_("This article is already published."))
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise Conflict(_("This article is already under review."))
    if state is not None:
        state.resume(user=actor)
        record(page, "sanfu.article.resubmit", actor=actor)
        notices.submitted(page, column, again=True)
        return state
    workflow = page.get_workflow() or ensure_review_workflow(column, actor=actor)
    state = workflow.start(page, actor)
    _bump(column, page.source_unit, "submitted")
    record(page, "sanfu.article.submit", actor=actor)
    notices.submitted(page, column, again=False)
    return state


def _task_state_for_review(page: ArticlePage, actor: Person) -> TaskState:
    if not access.is_reviewer(actor, page):
        raise PermissionDenied
    state = WorkflowState.objects.for_instance(page).active().first()
    if state is not None:
        state = WorkflowState.objects.select_for_update().get(pk=state.pk)
    if (
        state is None
        or state.status != WorkflowState.STATUS_IN_PROGRESS
        or state.current_task_state is None
        or state.current_task_state.status != TaskState.STATUS_IN_PROGRESS
    ):
        raise Conflict(_("This article is not waiting for review."))
    return state.current_task_state


@transaction.atomic
def approve_article(page: ArticlePage, *, actor: Person, comment: str = "") -> None:
    """Approve and publish (or schedule) a submission; refused while the
    confidentiality check has unresolved findings."""
    page = ArticlePage.objects.get(pk=page.pk)
    task_state = _task_state_for_review(page, actor)
    if confidentiality.unresolved(page):
        raise ValidationError(
            _("Resolve every finding of the confidentiality check before approving."),
            code="unresolved_findings",
        )
    if unopened := review_files.unopened(page, actor):
        raise ValidationError(
            _(
                "Open every image and attachment before approving; "
                "not yet opened: %(names)s."
            )
            % {"names": ", ".join(item.name for item in unopened)},
            code="files_not_opened",
        )
    Task.on_action(
        task_state.task.specific, task_state, actor, "approve", comment=comment
    )
    column = access.column_of(page)
    assert column is not None
    _bump(column, page.source_unit, "published")
    record(page, "sanfu.article.approve", actor=actor, data={"comment": comment})
    notices.approved(ArticlePage.objects.get(pk=page.pk), comment=comment)


@transaction.atomic
def reject_article(page: ArticlePage, *, actor: Person, comment: str) -> None:
    """Send a submission back to its unit with a comment they must answer."""
    if not comment.strip():
        raise ValidationError(
            _("Say what must change: a rejection needs a comment."),
            code="comment_required",
        )
    task_state = _task_state_for_review(page, actor)
    findings = confidentiality.unresolved(page)
    Task.on_action(
        task_state.task.specific, task_state, actor, "reject", comment=comment
    )
    column = access.column_of(page)
    assert column is not None
    _bump(column, page.source_unit, "rejected")
    record(page, "sanfu.article.reject", actor=actor, data={"comment": comment})
    notices.returned(
        page,
        comment=comment,
        # numbers travel by e-mail masked, as in the audit trail
        findings=[
            (
                item.kind,
                mask_finding(item.text),
                item.where,
                item.matched if item.kind == FindingKind.WORD else "",
            )
            for item in findings
        ],
    )


@transaction.atomic
def record_file_opening(
    page: ArticlePage, *, kind: str, file_id: int, actor: Person
) -> bool:
    """A reviewer opened an image or attachment of a submission (the checked view
    serving it calls this); True the first time."""
    if not access.is_reviewer(actor, page):
        raise PermissionDenied
    _opening, created = ReviewFileOpening.objects.get_or_create(
        page=page, person=actor, kind=kind, file_id=file_id
    )
    if created:
        record(
            page,
            "sanfu.article.file_open",
            actor=actor,
            data={"kind": kind, "file": file_id},
        )
    return created


@transaction.atomic
def dismiss_finding(
    page: ArticlePage, *, kind: str, text: str, reason: str, actor: Person
) -> FindingDismissal:
    """A reviewer marks a finding of the confidentiality check a false positive."""
    page = ArticlePage.objects.get(pk=page.pk)
    if not access.is_reviewer(actor, page):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(
            _("Give the reason why this is not confidential."), code="reason_required"
        )
    current = {(f.kind, f.text) for f in confidentiality.findings(page)}
    if (kind, text) not in current:
        raise Conflict(_("This finding is no longer in the article."))
    dismissal, _created = FindingDismissal.objects.get_or_create(
        page=page,
        kind=kind,
        text=text,
        defaults={"reason": reason.strip(), "dismissed_by": actor},
    )
    record(
        page,
        "sanfu.article.finding_dismiss",
        actor=actor,
        data={"kind": kind, "text": mask_finding(text), "reason": reason.strip()},
    )
    return dismissal


def mask_finding(text: str) -> str:
    """Numbers in the audit trail keep their first and last digits only."""
    if is_digits(text) or (is_digits(text[:-1]) and text[-1:] in "Xx"):
        return text[:3] + "*" * (len(text) - 5) + text[-2:]
    return text


def add_hits(page_id: int, day: datetime.date, hits: int) -> None:
    """Readings of a live article on one day (publicity.readings gathers them): an
    UPDATE of the day's row, made on first use."""
    key = {"page_id": page_id, "day": day}
    if ArticleDayHits.objects.filter(**key).update(hits=F("hits") + hits):
        return
    try:
        with transaction.atomic():
            ArticleDayHits.objects.create(**key, hits=hits)
    except IntegrityError:
        ArticleDayHits.objects.filter(**key).update(hits=F("hits") + hits)


# -- advanced models: nomination → vote → public notice → award --------------------


def _voting_member(actor: Person, column: CampaignPage) -> bool:
    return holds(actor, column.campaign_id, VOTERS)


def _locked_model(page: AdvancedModelPage) -> AdvancedModelPage:
    return AdvancedModelPage.objects.select_for_update().get(pk=page.pk)


@transaction.atomic
def nominate_model(
    column: CampaignPage,
    *,
    unit: Unit,
    kind: str,
    nominee: str,
    deeds: str,
    actor: Person,
    photo: CheckedUpload | None = None,
) -> AdvancedModelPage:
    """A unit (its head or liaison) nominates a person or a unit, with a photo
    already checked (publicity.uploads)."""
    may = (
        acts_for_unit(actor, unit.pk)
        and unit.organisation_id == column.campaign.organisation_id
    )
    if not may:
        raise PermissionDenied
    page = AdvancedModelPage(
        title=nominee,
        slug=_free_slug(column),
        kind=kind,
        nominee=nominee,
        nominating_unit=unit,
        deeds=deeds,
        photo=_store_image(photo, actor) if photo is not None else None,
        live=False,
    )
    column.add_child(instance=page)
    page.save_revision(user=actor, log_action=True)
    record(page, "sanfu.model.nominate", actor=actor, data={"unit": unit.pk})
    notify_on_commit(
        holders(column.campaign_id, BALLOT),
        format_lazy(
            gettext_lazy("{unit} nominates {nominee} as an advanced model: your vote"),
            unit=unit.name,
            nominee=nominee,
        ),
        _model_link(page),
    )
    return page


def _model_link(page: AdvancedModelPage) -> str:
    return reverse("publicity_admin:model", args=[page.pk])


def _close_vote(page: AdvancedModelPage, counted: Tally, actor: Person) -> None:
    """A majority of the ballots cast for the nominee goes to notice."""
    page.votes_for, page.votes_against = counted.votes_for, counted.votes_against
    page.stage = (
        ModelStage.VOTED
        if counted.votes_for > counted.votes_against
        else ModelStage.NOT_ELECTED
    )
    page.save(update_fields=["votes_for", "votes_against", "stage"])
    record(
        page,
        "sanfu.model.vote",
        actor=actor,
        data={
            "for": counted.votes_for,
            "against": counted.votes_against,
            "abstain": counted.abstentions,
            "members": counted.members,
            "stage": page.stage,
        },
    )


@transaction.atomic
def cast_ballot(page: AdvancedModelPage, *, choice: str, actor: Person) -> Tally:
    """A leading group member's ballot; the vote closes by itself, tallied, when
    every member has cast theirs."""
    page = _locked_model(page)
    column = access.column_of(page)
    if column is None or not holds(actor, column.campaign_id, BALLOT):
        raise PermissionDenied
    if page.stage != ModelStage.NOMINATED:
        raise Conflict(_("The vote on this nomination is closed."))
    if choice not in BallotChoice.values:
        raise ValidationError(_("Choose for, against or abstain."), code="choice")
    if page.ballots.filter(voter=actor).exists():
        raise Conflict(_("You have already voted on this nomination."))
    ballot = ModelBallot.objects.create(page=page, voter=actor, choice=choice)
    record(page, "sanfu.model.ballot", actor=actor, data={"ballot": ballot.pk})
    counted = tally(page)
    if counted.complete:
        _close_vote(page, counted, actor)
    return counted


@transaction.atomic
def close_vote(page: AdvancedModelPage, *, actor: Person) -> AdvancedModelPage:
    """Close the vote before every member has voted (one is away), once more
    than half have: the ballots cast are tallied."""
    page = _locked_model(page)
    column = access.column_of(page)
    if column is None or not _voting_member(actor, column):
        raise PermissionDenied
    reason = close_vote_refusal(page)
    if reason:
        raise Conflict(reason)
    _close_vote(page, tally(page), actor)
    return page


@transaction.atomic
def start_public_notice(
    page: AdvancedModelPage, *, days: int, actor: Person
) -> AdvancedModelPage:
    """Publish the model for a public notice (公示) of ``days`` days."""
    page = _locked_model(page)
    column = access.column_of(page)
    if column is None or not _voting_member(actor, column):
        raise PermissionDenied
    if page.stage != ModelStage.VOTED:
        raise Conflict(_("Only a model voted for goes to public notice."))
    if not 1 <= days <= 30:
        raise ValidationError(_("A public notice lasts 1 to 30 days."), code="days")
    now = timezone.now()
    page.stage = ModelStage.NOTICE
    page.notice_starts_at = now
    page.notice_ends_at = now + datetime.timedelta(days=days)
    # The role was checked above; Wagtail's own check reads Django groups.
    page.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)
    page = AdvancedModelPage.objects.get(pk=page.pk)
    record(page, "sanfu.model.notice", actor=actor, data={"days": days})
    return page


@transaction.atomic
def file_objection(
    page: AdvancedModelPage, *, text: str, name: str = "", phone: str = ""
) -> Objection:
    """An objection from the public, accepted only while the notice runs."""
    page = _locked_model(page)
    now = timezone.now()
    if (
        page.stage != ModelStage.NOTICE
        or page.notice_ends_at is None
        or now > page.notice_ends_at
    ):
        raise Conflict(_("The public notice of this model is over."))
    objection = Objection.objects.create(page=page, text=text, name=name, phone=phone)
    record(page, "sanfu.model.objection", data={"objection": objection.pk})
    column = access.column_of(page)
    if column is not None:
        notify_on_commit(
            holders(column.campaign_id, OBJECTION_READERS),
            format_lazy(
                gettext_lazy("An objection to {nominee} waits for an answer"),
                nominee=page.nominee,
            ),
            reverse("publicity_admin:objections", args=[page.pk]),
        )
    return objection


@transaction.atomic
def answer_objection(objection: Objection, *, answer: str, actor: Person) -> Objection:
    """The office answers an objection (what was checked, what was found, how the
    objector was told) and closes it."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    page = objection.page
    column = access.column_of(page)
    if column is None or not holds(actor, column.campaign_id, OBJECTION_READERS):
        raise PermissionDenied
    if objection.closed_at is not None:
        raise Conflict(_("This objection has already been answered and closed."))
    answer = answer.strip()
    if not answer:
        raise ValidationError(_("Write the answer to the objection."), code="answer")
    objection.answer = answer
    objection.answered_by = actor
    objection.closed_at = timezone.now()
    objection.save(update_fields=["answer", "answered_by", "closed_at"])
    record(
        page,
        "sanfu.model.objection_answer",
        actor=actor,
        data={"objection": objection.pk},
    )
    notify_on_commit(
        [
            *unit_writers(page.nominating_unit_id),
            *holders(column.campaign_id, BALLOT),
        ],
        format_lazy(
            gettext_lazy("An objection to {nominee} was answered and closed"),
            nominee=page.nominee,
        ),
        _model_link(page),
    )
    return objection


@transaction.atomic
def erase_objection_contacts(
    objection: Objection, *, now: datetime.datetime, actor: Person | None = None
) -> Objection:
    """Erase the author's name and phone from an objection past its retention, and
    blank ID and phone numbers in its text; what was objected stays."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if not (objection.name or objection.phone):
        raise Conflict(_("The objection's contacts were erased already."))
    if now < objection.contacts_kept_until:
        raise Conflict(_("The objection's contacts are still within their retention."))
    objection.name = objection.phone = ""
    objection.text = scrub_numbers(objection.text)
    objection.save(update_fields=["name", "phone", "text"])
    record(
        objection.page,
        "sanfu.model.objection_erase",
        actor=actor,
        data={"objection": objection.pk},
    )
    return objection


def record_objection_contacts_view(page: AdvancedModelPage, *, actor: Person) -> None:
    """Log that ``actor`` was shown the names and phones of the model's objections."""
    record(page, "sanfu.model.objection_contacts_view", actor=actor)


@transaction.atomic
def award_model(page: AdvancedModelPage, *, actor: Person) -> AdvancedModelPage:
    """After the notice has run its days: the title is awarded and published."""
    page = _locked_model(page)
    column = access.column_of(page)
    if column is None or not _voting_member(actor, column):
        raise PermissionDenied
    reason = award_refusal(page)
    if reason:
        raise Conflict(reason)
    page.stage = ModelStage.AWARDED
    page.awarded_on = timezone.localdate()
    # The role was checked above; Wagtail's own check reads Django groups.
    page.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)
    page = AdvancedModelPage.objects.get(pk=page.pk)
    record(
        page,
        "sanfu.model.award",
        actor=actor,
        data={"objections": page.objections.count()},
    )
    return page
