"""Practical deeds (辦實事): recorded, reported with photos, verified by the office,
published and rated by the public."""

import datetime
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import record
from campaigns.models import Campaign
from campaigns.recipients import office_people, unit_people
from core.errors import Conflict
from core.locking import locked_in
from files.evidence import CheckedUpload
from ledgers.access import is_office, is_unit_writer
from ledgers.actions.common import (
    _check_text,
    _check_unit,
    _link,
    _notify_on_commit,
    _require,
    check_in_period,
)
from ledgers.models import (
    DeedClass,
    DeedPhoto,
    DeedRating,
    DeedStage,
    DeedStatus,
    DeedUpdate,
    PracticalDeed,
)
from org.models import Person, Unit


@dataclass(frozen=True)
class StageInput:
    name: str
    due_on: datetime.date


@transaction.atomic
def create_deed(
    campaign: Campaign,
    unit: Unit,
    *,
    title: str,
    deed_class: str,
    beneficiaries: str,
    target: str,
    deadline: datetime.date,
    stages: Sequence[StageInput] = (),
    actor: Person,
    is_demo: bool = False,
) -> PracticalDeed:
    _require(is_unit_writer(actor, unit.pk))
    return _new_deed(
        campaign,
        unit,
        title=title,
        deed_class=deed_class,
        beneficiaries=beneficiaries,
        target=target,
        deadline=deadline,
        stages=stages,
        actor=actor,
        is_demo=is_demo,
    )


def _new_deed(
    campaign: Campaign,
    unit: Unit,
    *,
    title: str,
    deed_class: str,
    beneficiaries: str,
    target: str,
    deadline: datetime.date,
    stages: Sequence[StageInput] = (),
    actor: Person,
    is_demo: bool = False,
) -> PracticalDeed:
    _check_unit(campaign, unit)
    for value, field in ((title, "title"), (beneficiaries, "beneficiaries")):
        _check_text(value, field)
    _check_text(target, "target")
    if deed_class not in DeedClass.values:
        raise ValidationError({"deed_class": _("Unknown class.")})
    check_in_period(campaign, deadline, "deadline")
    if deed_class == DeedClass.STAGED and not stages:
        raise ValidationError({"stages": _("A deed done in stages needs its stages.")})
    if deed_class != DeedClass.STAGED and stages:
        raise ValidationError({"stages": _("Only a deed done in stages has stages.")})
    for stage in stages:
        check_in_period(campaign, stage.due_on, "stages")
        if stage.due_on > deadline:
            raise ValidationError(
                {"stages": _("A stage cannot be due after the deed's deadline.")}
            )
    deed = PracticalDeed.objects.create(
        campaign=campaign,
        unit=unit,
        title=title,
        deed_class=deed_class,
        beneficiaries=beneficiaries,
        target=target,
        deadline=deadline,
        is_demo=is_demo,
    )
    DeedStage.objects.bulk_create(
        DeedStage(deed=deed, sequence=index, name=stage.name, due_on=stage.due_on)
        for index, stage in enumerate(stages, start=1)
    )
    record(deed, "sanfu.deed.create", actor=actor, data={"unit": unit.name})
    return deed


def _locked_deed(deed: PracticalDeed, *allowed: str) -> PracticalDeed:
    return locked_in(
        deed,
        allowed,
        changed=gettext_lazy(
            "The deed is now “%(status)s”; someone else has acted on it."
        ),
    )


@transaction.atomic
def report_deed_progress(
    deed: PracticalDeed,
    *,
    percent: int,
    on: datetime.date,
    note: str = "",
    photos: Sequence[CheckedUpload] = (),
    actor: Person,
) -> DeedUpdate:
    """A dated progress report with photos; 100% marks the deed done, for the
    office to verify."""
    deed = _locked_deed(deed, DeedStatus.IN_PROGRESS)
    _require(is_unit_writer(actor, deed.unit_id))
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress is a percentage, 0 to 100.")})
    if percent < deed.progress:
        raise ValidationError(
            {
                "percent": _("Progress cannot go back: the last report was %(last)d%%.")
                % {"last": deed.progress}
            }
        )
    check_in_period(deed.campaign, on, "on")
    update = DeedUpdate.objects.create(
        deed=deed, on=on, percent=percent, note=note, reported_by=actor
    )
    for upload in photos:
        DeedPhoto.objects.create(
            update=update,
            file=upload.file,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            extension=upload.extension,
        )
    deed.progress = percent
    fields = ["progress"]
    if percent == 100:
        deed.status = DeedStatus.DONE
        deed.done_on = on
        fields += ["status", "done_on"]
    deed.save(update_fields=fields)
    record(
        deed,
        "sanfu.deed.progress",
        actor=actor,
        data={"percent": percent, "note": note},
    )
    if percent == 100:
        _notify_on_commit(
            office_people(deed.campaign_id),
            format_lazy(
                gettext_lazy("The deed “{title}” is done and awaits verification."),
                title=deed.title,
            ),
            _link("deed", deed.pk),
        )
    return update


@transaction.atomic
def verify_deed(deed: PracticalDeed, *, actor: Person) -> PracticalDeed:
    _require(is_office(actor, deed.campaign_id))
    deed = _locked_deed(deed, DeedStatus.DONE)
    deed.status = DeedStatus.VERIFIED
    deed.verified_at = timezone.now()
    deed.save(update_fields=["status", "verified_at"])
    record(deed, "sanfu.deed.verify", actor=actor)
    return deed


@transaction.atomic
def return_deed(deed: PracticalDeed, *, reason: str, actor: Person) -> PracticalDeed:
    """The office finds the deed not done after all: back in progress."""
    _require(is_office(actor, deed.campaign_id))
    _check_text(reason, "reason")
    deed = _locked_deed(deed, DeedStatus.DONE)
    deed.status = DeedStatus.IN_PROGRESS
    deed.done_on = None
    deed.save(update_fields=["status", "done_on"])
    record(deed, "sanfu.deed.return", actor=actor, data={"reason": reason})
    _notify_on_commit(
        unit_people(deed.unit_id),
        format_lazy(
            gettext_lazy("The office sent back the deed “{title}”: {reason}"),
            title=deed.title,
            reason=reason,
        ),
        _link("deed", deed.pk),
    )
    return deed


@transaction.atomic
def publish_deed(
    deed: PracticalDeed, *, published: bool, actor: Person
) -> PracticalDeed:
    _require(is_office(actor, deed.campaign_id))
    deed = PracticalDeed.objects.select_for_update().get(pk=deed.pk)
    deed.is_published = published
    deed.save(update_fields=["is_published"])
    record(deed, "sanfu.deed.publish", actor=actor, data={"published": published})
    return deed


def rater_key(deed_id: int, client_id: str, address: str) -> str:
    """A keyed hash, per deed, of the rater's cookie id and address prefix (the
    first three octets of IPv4, four groups of IPv6): one rating per person and
    deed without storing who they are."""
    prefix = (
        ":".join(address.split(":")[:4])
        if ":" in address
        else ".".join(address.split(".")[:3])
    )
    key = settings.SECRET_KEY.encode()
    message = f"{deed_id}|{client_id}|{prefix}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def rate_deed(deed: PracticalDeed, *, rater: str, score: int) -> DeedRating:
    """A public rating of a published deed; a second one by the same rater is a
    ``Conflict``."""
    if not deed.is_published:
        raise PermissionDenied
    try:
        with transaction.atomic():
            rating = DeedRating.objects.create(deed=deed, rater=rater, score=score)
            record(deed, "sanfu.deed.rate", data={"score": score})
    except IntegrityError as error:
        raise Conflict(_("You have already rated this deed.")) from error
    return rating
