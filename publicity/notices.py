"""Who hears of each step of a submission to the column, and what they read.

A submission tells its column's publicity group; a return (with the reviewer's
comment and the automatic check's findings), an approval (or its schedule) and the
publication tell the submitting unit: the person who wrote the article and the
unit's liaisons. Notices go through ``notify`` once the step's transaction commits,
in each recipient's language, in the inbox and by e-mail.
"""

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from campaigns.models import Position
from campaigns.roles import CampaignRole
from notify.actions import notify_on_commit
from org.models import Membership, UnitRole
from publicity.models import ArticlePage, CampaignPage, FindingKind

# (kind, text with its numbers masked, where it was found, as it was written)
NoticeFinding = tuple[str, str, str | Promise, str | Promise]


def reviewers(column: CampaignPage) -> list[int]:
    """The publicity group of the column's campaign."""
    return list(
        Position.objects.filter(
            role=CampaignRole.PUBLICITY, body__campaign_id=column.campaign_id
        ).values_list("person_id", flat=True)
    )


def unit_people(page: ArticlePage) -> list[int]:
    """Whoever wrote the article, and its unit's liaisons."""
    people = [page.submitted_by_id] if page.submitted_by_id else []
    if page.source_unit_id:
        people += Membership.objects.filter(
            unit_id=page.source_unit_id, role=UnitRole.LIAISON
        ).values_list("person_id", flat=True)
    return people


def _submission_link(page: ArticlePage) -> str:
    return reverse("publicity_admin:submission", args=[page.pk])


def submitted(page: ArticlePage, column: CampaignPage, *, again: bool) -> None:
    text = (
        gettext_lazy("“{title}” from {unit} was changed and submitted again.")
        if again
        else gettext_lazy("“{title}” from {unit} was submitted to the column.")
    )
    notify_on_commit(
        reviewers(column),
        format_lazy(text, title=page.title, unit=str(page.source_unit or "")),
        reverse("publicity_admin:review", args=[page.pk]),
    )


def _findings_text(findings: Sequence[NoticeFinding]) -> str:
    """The findings as lines, in the active language."""
    if not findings:
        return ""
    lines = [gettext("The automatic confidentiality check found:")]
    for kind, text, where, matched in findings:
        # a word as the article wrote it; why a file was not checked
        shown = f"{text} ({matched})" if matched and str(matched) != text else text
        lines.append(
            "- "
            + gettext("%(kind)s: %(text)s, found in %(where)s")
            % {"kind": FindingKind(kind).label, "text": shown, "where": where}
        )
    return "\n".join(lines)


_lazy_findings_text = lazy(_findings_text, str)


def returned(
    page: ArticlePage, *, comment: str, findings: Sequence[NoticeFinding]
) -> None:
    message = format_lazy(
        "{}\n{}",
        format_lazy(
            gettext_lazy("“{title}” was returned for changes: {comment}"),
            title=page.title,
            comment=comment,
        ),
        _lazy_findings_text(list(findings)),
    )
    notify_on_commit(unit_people(page), message, _submission_link(page))


def approved(page: ArticlePage, *, comment: str) -> None:
    if page.approved_schedule and page.go_live_at:
        message: Any = format_lazy(
            gettext_lazy("“{title}” was approved; it will be published at {moment}."),
            title=page.title,
            moment=timezone.localtime(page.go_live_at).strftime("%Y-%m-%d %H:%M"),
        )
    else:
        message = format_lazy(gettext_lazy("“{title}” was approved."), title=page.title)
    if comment:
        message = format_lazy("{} {}", message, comment)
    notify_on_commit(unit_people(page), message, _submission_link(page))


def published(page: ArticlePage) -> None:
    notify_on_commit(
        unit_people(page),
        format_lazy(
            gettext_lazy("“{title}” is published on the website."), title=page.title
        ),
        page.get_url() or _submission_link(page),
    )
