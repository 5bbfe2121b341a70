"""Look-back (回頭看): before the campaign's last phase closes, the office reopens a
sample of closed problems for a re-check; the unit answers, and the office confirms
the re-check passed (the problem is closed again) or failed (it goes back to
rectification). One function per step, each as ``ledgers.actions`` are built."""

import datetime
import random
import secrets
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import record
from campaigns.models import Campaign
from campaigns.recipients import office_people, unit_people
from core.errors import Conflict
from ledgers.access import is_office, is_unit_writer
from ledgers.actions.common import _link, _notify_on_commit
from ledgers.models import (
    LookBack,
    LookBackItem,
    LookBackMethod,
    Problem,
    ProblemStatus,
    RecheckOutcome,
)
from org.actors import Viewer
from org.models import Person


def last_day(campaign: Campaign) -> datetime.date:
    """The day the campaign's last phase closes (the campaign's end without
    phases)."""
    end = campaign.phases.aggregate(end=Max("ends_on"))["end"]
    return end or campaign.ends_on


def may_look_back(user: Viewer, campaign: Campaign, today: datetime.date) -> bool:
    return is_office(user, campaign.pk) and today <= last_day(campaign)


def draw(population: Sequence[int], size: int, seed: int) -> list[int]:
    """The problems a random look-back picks: the same seed and population give
    the same sample."""
    return sorted(random.Random(seed).sample(sorted(population), size))


@transaction.atomic
def start_look_back(
    campaign: Campaign,
    *,
    actor: Person,
    size: int | None = None,
    percent: int | None = None,
    seed: int | None = None,
    chosen: Sequence[int] = (),
    note: str = "",
    today: datetime.date | None = None,
) -> LookBack:
    """Reopen a sample of the campaign's closed problems for a re-check: ``size``
    problems or ``percent`` of them at random (with ``seed``, or a new recorded
    one), or the problems ``chosen`` by hand."""
    today = today or timezone.localdate()
    if not is_office(actor, campaign.pk):
        raise PermissionDenied
    if today > last_day(campaign):
        raise ValidationError(
            _(
                "The campaign's last phase has closed: "
                "a look-back is no longer possible."
            )
        )
    closed = Problem.objects.select_for_update().filter(
        campaign=campaign, status=ProblemStatus.CLOSED
    )
    population = list(closed.order_by("pk").values_list("pk", flat=True))
    if chosen:
        if size is not None or percent is not None:
            raise ValidationError(
                _("Choose problems by hand or draw a sample, not both.")
            )
        picked = sorted(set(chosen))
        if not set(picked) <= set(population):
            raise ValidationError(
                {
                    "chosen": _(
                        "Only closed problems of this campaign can be re-checked."
                    )
                }
            )
        method, seed = LookBackMethod.CHOSEN, None
    else:
        if (size is None) == (percent is None):
            raise ValidationError(_("Give either a sample size or a percentage."))
        if percent is not None:
            if not 1 <= percent <= 100:
                raise ValidationError({"percent": _("A percentage is from 1 to 100.")})
            size = max(1, round(len(population) * percent / 100))
        assert size is not None
        if size < 1:
            raise ValidationError({"size": _("The sample needs at least one problem.")})
        if size > len(population):
            raise ValidationError(
                {
                    "size": _("There are only %(count)d closed problems to draw from.")
                    % {"count": len(population)}
                }
            )
        seed = secrets.randbits(32) if seed is None else seed
        picked = draw(population, size, seed)
        method = LookBackMethod.RANDOM
    look_back = LookBack.objects.create(
        campaign=campaign,
        method=method,
        seed=seed,
        population=len(population),
        note=note,
        created_by=actor,
    )
    LookBackItem.objects.bulk_create(
        LookBackItem(look_back=look_back, problem_id=pk) for pk in picked
    )
    Problem.objects.filter(pk__in=picked).update(status=ProblemStatus.RECHECK)
    record(
        look_back,
        "sanfu.look_back.start",
        actor=actor,
        data={"method": method, "seed": seed, "problems": picked},
    )
    units = set(Problem.objects.filter(pk__in=picked).values_list("unit_id", flat=True))
    for unit_id in sorted(units):
        _notify_on_commit(
            unit_people(unit_id),
            gettext_lazy(
                "The office reopened closed problems of your unit "
                "for a re-check (回頭看)."
            ),
            _link("look_back", look_back.pk),
        )
    return look_back


def _locked_item(item: LookBackItem) -> tuple[LookBackItem, Problem]:
    fresh = LookBackItem.objects.select_for_update().get(pk=item.pk)
    problem = Problem.objects.select_for_update().get(pk=fresh.problem_id)
    if (
        fresh.outcome != RecheckOutcome.PENDING
        or problem.status != ProblemStatus.RECHECK
    ):
        raise Conflict(_("This re-check has already been decided."))
    return fresh, problem


@transaction.atomic
def answer_recheck(item: LookBackItem, *, answer: str, actor: Person) -> LookBackItem:
    """The unit answers the re-check: how the rectification has held."""
    item, problem = _locked_item(item)
    if not is_unit_writer(actor, problem.unit_id):
        raise PermissionDenied
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Say how the rectification has held.")})
    item.answer = answer
    item.answered_at = timezone.now()
    item.answered_by = actor
    item.save(update_fields=["answer", "answered_at", "answered_by"])
    record(
        problem, "sanfu.problem.recheck_answer", actor=actor, data={"answer": answer}
    )
    _notify_on_commit(
        office_people(problem.campaign_id),
        format_lazy(
            gettext_lazy("A unit answered the re-check of “{text}”."),
            text=problem.description[:60],
        ),
        _link("look_back", item.look_back_id),
    )
    return item


@transaction.atomic
def decide_recheck(
    item: LookBackItem, *, passed: bool, actor: Person, reason: str = ""
) -> LookBackItem:
    """The office confirms the re-check: passed closes the problem again; failed
    sends it back to rectification with a reason."""
    item, problem = _locked_item(item)
    if not is_office(actor, problem.campaign_id):
        raise PermissionDenied
    if item.answered_at is None:
        raise ValidationError(_("The unit has not answered the re-check yet."))
    reason = reason.strip()
    now = timezone.now()
    if passed:
        item.outcome = RecheckOutcome.PASSED
        problem.status = ProblemStatus.CLOSED
        problem.closed_at, problem.closed_by = now, actor
        verb = "sanfu.problem.recheck_pass"
        message = gettext_lazy("The re-check of “{text}” passed; it stays closed.")
    else:
        if not reason:
            raise ValidationError({"reason": _("Say why the re-check failed.")})
        item.outcome = RecheckOutcome.FAILED
        problem.status = ProblemStatus.OPEN
        problem.closed_at, problem.closed_by = None, None
        problem.return_reason = reason
        problem.measures.update(confirmed_at=None)
        verb = "sanfu.problem.recheck_fail"
        message = gettext_lazy(
            "The re-check of “{text}” failed; it is back in rectification."
        )
    item.reason, item.decided_at, item.decided_by = reason, now, actor
    item.save(update_fields=["outcome", "reason", "decided_at", "decided_by"])
    problem.save(update_fields=["status", "closed_at", "closed_by", "return_reason"])
    record(problem, verb, actor=actor, data={"reason": reason})
    _notify_on_commit(
        unit_people(problem.unit_id),
        format_lazy(message, text=problem.description[:60]),
        _link("problem", problem.pk),
    )
    return item
