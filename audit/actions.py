"""Writing the audit trail: Wagtail's log, under the project's own action names."""

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import get_active_log_context, log
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, Page

from audit.changes import changes_of, values_of

if TYPE_CHECKING:  # audit sits below org: the name only, for the checker
    from org.models import Person

# action name → (label in the history filter, message shown in the history)
_CORE_ACTIONS: dict[str, tuple[Any, Any]] = {
    "sanfu.unit.create": (_("Create unit"), _("Unit created")),
    "sanfu.calendar.notice": (
        _("Enter holiday notice"),
        _("The year's holiday notice entered into the working-day calendar"),
    ),
    "sanfu.membership.add": (_("Add member"), _("Member added to unit")),
    "sanfu.account.two_step_on": (
        _("Turn on two-step sign-in"),
        _("Two-step sign-in turned on"),
    ),
    "sanfu.account.two_step_off": (
        _("Turn off two-step sign-in"),
        _("Two-step sign-in turned off"),
    ),
    "sanfu.campaign.create": (_("Create campaign"), _("Campaign created")),
    "sanfu.campaign.structure": (
        _("Set up campaign structure"),
        _("Phase, main task, requirement or body added"),
    ),
    "sanfu.position.appoint": (_("Appoint to position"), _("Appointed to position")),
    "sanfu.meeting.record": (_("Record meeting"), _("Meeting recorded")),
    # meetings' decisions, tracked as action items
    "sanfu.decision.record": (
        _("Record decision"),
        _("Meeting decision recorded as an action item"),
    ),
    "sanfu.decision.complete": (_("Complete action item"), _("Action item done")),
    "sanfu.article.import": (_("Import article"), _("Article imported")),
    "sanfu.demand.submit": (_("Submit demand"), _("Demand submitted")),
    "sanfu.demand.flag_duplicate": (
        _("Flag possible duplicate"),
        _("Demand flagged as a possible duplicate of an open one"),
    ),
    "sanfu.demand.dispatch": (_("Dispatch demand"), _("Demand dispatched to a unit")),
    "sanfu.demand.merge": (
        _("Merge demand"),
        _("Demand merged into a parent order as a duplicate"),
    ),
    "sanfu.demand.merge_receive": (
        _("Receive merged demand"),
        _("A duplicate demand was merged into this one"),
    ),
    "sanfu.demand.split": (
        _("Split demand off"),
        _("Demand split off its parent order, handled on its own again"),
    ),
    "sanfu.demand.split_off": (
        _("Split merged demand off"),
        _("A merged demand was split off this one"),
    ),
    "sanfu.routing.retrain": (
        _("Retrain routing model"),
        _("Routing model retrained on the confirmed dispatches"),
    ),
    "sanfu.hotspots.find": (
        _("Find hotspots"),
        _("The week's demands grouped into hotspots"),
    ),
    "sanfu.demand.accept": (_("Accept demand"), _("Demand accepted by the unit")),
    "sanfu.demand.return": (_("Return demand"), _("Demand returned for re-dispatch")),
    "sanfu.demand.extension_request": (
        _("Request extension"),
        _("Extension requested"),
    ),
    "sanfu.demand.extension_decide": (
        _("Decide extension"),
        _("Extension request decided"),
    ),
    "sanfu.demand.reply": (_("Reply to demand"), _("Demand replied")),
    "sanfu.demand.rate": (_("Rate demand"), _("Demand rated")),
    "sanfu.demand.reopen": (_("Reopen demand"), _("Demand reopened after rating")),
    "sanfu.demand.close_unrated": (
        _("Close unrated demand"),
        _("Demand closed without rating"),
    ),
    "sanfu.demand.supervise": (
        _("Supervise demand"),
        _("Demand put under supervision"),
    ),
    "sanfu.demand.supervision_escalate": (
        _("Escalate supervision"),
        _("Supervision escalated to the leaders after its deadline passed"),
    ),
    "sanfu.demand.recall": (
        _("Recall demand"),
        _("Demand recalled by the office to the dispatch queue"),
    ),
    "sanfu.demand.reassign": (
        _("Reassign demand"),
        _("Demand reassigned by the office to another unit"),
    ),
    "sanfu.demand.notice": (
        _("Issue reminder notice"),
        _("Reminder notice or circular issued for a missed deadline"),
    ),
    "sanfu.demand.return_visit_schedule": (
        _("Schedule return visit"),
        _("Return visit to the submitter scheduled for the office"),
    ),
    "sanfu.demand.return_visit": (
        _("Record return visit"),
        _("Return visit to the submitter recorded"),
    ),
    "sanfu.demand.view_contact": (
        _("View submitter's contact"),
        _("The submitter's name and phone number were shown"),
    ),
    "sanfu.demand.data_request": (
        _("Submitter's data request"),
        _("The submitter downloaded the personal data held on the demand"),
    ),
    "sanfu.demand.erase_personal_data": (
        _("Erase personal data"),
        _("The submitter's personal data was erased after the retention period"),
    ),
}

# Every action name: the core's above and those the newer apps name in their own
# audit_actions.py and hand to ``register_actions`` from their ``AppConfig.ready``
# (this module imports no app that records into the trail).
ACTIONS: dict[str, tuple[Any, Any]] = dict(_CORE_ACTIONS)


def register_actions(actions: dict[str, tuple[Any, Any]]) -> None:
    """Add an app's action names (from its ``AppConfig.ready``, which runs before
    Wagtail's log registry reads ``ACTIONS`` through ``audit.wagtail_hooks``)."""
    clashes = {
        name
        for name, named in actions.items()
        if name in ACTIONS and ACTIONS[name] != named
    }
    if clashes:
        raise ValueError(f"audit actions named twice: {sorted(clashes)}")
    ACTIONS.update(actions)


# Relations through which an object reaches its campaign and unit, nearest first.
_OWNERS = (
    "demand",
    "problem",
    "deed",
    "measure",
    "visit",
    "plan",
    "meeting",
    "phase",
    "look_back",
    "indicator_set",
    "inspection_round",
    "survey",
    "page",
    "body",
    "unit",
)
# Reference data of every campaign (the working-day calendar): its entries are
# shown to every office.
SHARED = frozenset({"org.WorkdayOverride", "org.HolidayNotice"})


def scope_of(instance: Any, depth: int = 2) -> dict[str, int]:
    """The campaign and unit an audited object belongs to, for the office's scoped
    search of the trail (``audit_search.search``); an organisation's own objects (its
    units and their people) name the organisation instead of a campaign, and the
    reference data every campaign shares is marked ``shared``."""
    scope: dict[str, int] = {}
    specific = getattr(instance, "specific", instance)
    label = specific._meta.label
    if label == "campaigns.Campaign":
        return {"campaign": specific.pk}
    if label == "org.Organisation":
        return {"organisation": specific.pk}
    if label in SHARED:
        return {"shared": True}
    if label == "org.Unit":
        scope["unit"] = specific.pk
        scope["organisation"] = specific.organisation_id
    for name, attr in (("campaign", "campaign_id"), ("unit", "unit_id")):
        value = getattr(specific, attr, None)
        if isinstance(value, int):
            scope[name] = value
    if "campaign" not in scope and isinstance(specific, Page) and specific.path:
        campaign = _column_campaign(specific)
        if campaign is not None:
            scope["campaign"] = campaign
    if "campaign" not in scope and depth:
        for owner in _OWNERS:
            related = getattr(specific, owner, None)
            if isinstance(related, Model):
                return {**scope_of(related, depth - 1), **scope}
    return scope


def _column_campaign(page: Page) -> int | None:
    """The campaign of the column (``publicity.CampaignPage``) a page is in."""
    columns = apps.get_model("publicity", "CampaignPage").objects
    campaign: int | None = (
        columns.ancestor_of(page, inclusive=True)
        .values_list("campaign_id", flat=True)
        .first()
    )
    return campaign


def record(
    instance: Model,
    action: str,
    *,
    actor: "Person | None" = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Write one audit entry; ``action`` must be one of ``ACTIONS`` or Wagtail's own.

    The entry holds the object's scope, ``data``, and under ``changes`` the fields the
    action changed, before and after (``audit.changes``). Its label is the object's
    ``audit_label`` where it has one (a demand's is its number: a title may hold the
    personal data the retention period erases), else the object's name."""
    if action.startswith("sanfu.") and action not in ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}")
    user = actor if actor is not None and actor.is_authenticated else None
    entry_data = {**scope_of(instance), **(data or {})}
    changed = changes_of(instance)
    if changed:
        entry_data["changes"] = {**entry_data.get("changes", {}), **changed}
    title = getattr(instance, "audit_label", None) or None
    if log_registry.get_log_model_for_instance(instance) is ModelLogEntry:
        _write_model_entry(instance, action, user, entry_data, title)
    else:  # pages (PageLogEntry) and models with no log: Wagtail's own way
        log(instance, action, user=user, data=entry_data, title=title)


FORM_ACTIONS = ("wagtail.create", "wagtail.edit", "wagtail.delete")


def record_form_change(
    instance: Model, action: str, actor: AbstractBaseUser | AnonymousUser
) -> None:
    """The entry of an object created, edited or deleted through a back-office
    form (``core.viewsets``): Wagtail's action, with the object's scope and
    the fields changed; a deleted object's entry keeps the values it had."""
    data = {"changes": values_of(instance)} if action == "wagtail.delete" else None
    person = actor if isinstance(actor, get_user_model()) else None
    record(instance, action, actor=person, data=data)


# Checked by the database (foreign keys, checked at the latest at commit), not by a
# query each before the INSERT.
_CHECKED_BY_THE_DATABASE = ["content_type", "user", "revision"]


def _write_model_entry(
    instance: Model,
    action: str,
    user: "Person | None",
    data: dict[str, Any],
    title: str | None = None,
) -> None:
    """What Wagtail's ``log()`` writes for a model that is not a page (its
    ``ModelLogEntryManager.log_action``), one INSERT: Wagtail's ``save()`` runs a
    ``full_clean()`` that looks up the content type and the user in the database
    first, one query each, for rows the foreign keys already vouch for. Every
    other check of ``full_clean()`` stays (the action registered, each field's
    own validation); the append-only signal handlers run as for any save.
    ``title`` is the label, as ``log(title=…)`` takes it (else the object's name)."""
    context = get_active_log_context()
    entry = ModelLogEntry(
        content_type=ContentType.objects.get_for_model(
            instance, for_concrete_model=False
        ),
        label=title or ModelLogEntry.objects.get_instance_title(instance),
        action=action,
        timestamp=timezone.now(),
        data=data,
        user=user or context.user,
        uuid=context.uuid,
        object_id=str(instance.pk),
    )
    entry.full_clean(exclude=_CHECKED_BY_THE_DATABASE)
    Model.save(entry)  # not BaseLogEntry.save, which would full_clean() again
