"""The reports (.docx): the weekly report, the cockpit's figures for the chosen
period, unit and campaign, and the phase summary report, the same figures over a
phase's period with the phase's milestones and the main tasks' progress; both in
the order the cockpit shows them (``dashboard.figures``)."""

import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from campaigns.models import Phase
from dashboard.figures import RANKING_SHOWN, Figures, Progress
from ledgers.models import Problem, ProblemStatus
from plans.progress import milestone_progress
from text.documents import document_script
from text.documents.word import OfficialDocx
from text.script import Script


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _table(document: OfficialDocx, header: list[str], rows: list[list[Any]]) -> None:
    document.table(header, rows)


def _progress(
    document: OfficialDocx, title: str, progress: Progress, counts: bool
) -> None:
    document.heading(title, level=2)
    if counts:
        document.paragraph(_("Total: %(total)d") % {"total": progress.total})
    else:
        document.paragraph(
            _("%(done)d of %(total)d (%(rate)s)")
            % {
                "done": progress.done,
                "total": progress.total,
                "rate": _percent(progress.rate),
            }
        )


def _header(document: OfficialDocx, figures: Figures, title: str) -> None:
    """The issuing office in red over the red rule, the title, the particulars."""
    scope = figures.unit.name if figures.unit else _("all units")
    document.office_head(figures.campaign.issuing_office)
    document.title(title)
    document.meta(
        _("Period: %(start)s to %(end)s · %(scope)s · generated %(when)s")
        % {
            "start": formats.date_format(figures.start, "DATE_FORMAT"),
            "end": formats.date_format(figures.end, "DATE_FORMAT"),
            "scope": scope,
            "when": timezone.localtime(figures.generated_at).strftime("%Y-%m-%d %H:%M"),
        }
    )


def week_line(start: datetime.date, end: datetime.date) -> str:
    """The weekly report's week as it reads in the report and on its page."""
    year, week, _day = start.isocalendar()
    return _("Week %(week)d of %(year)d: Monday %(start)s to Sunday %(end)s.") % {
        "week": week,
        "year": year,
        "start": start,
        "end": end,
    }


def weekly_report(figures: Figures, *, script: Script | None = None) -> OfficialDocx:
    """The weekly report, in ``script`` (default: the active language's)."""
    document = OfficialDocx(script or document_script())
    _header(
        document,
        figures,
        _("%(campaign)s: weekly report") % {"campaign": figures.campaign.name},
    )
    document.paragraph(week_line(figures.start, figures.end))
    _figures(document, figures)
    _closing(document, figures)
    return document


def phase_report(
    phase: Phase, figures: Figures, *, script: Script | None = None
) -> OfficialDocx:
    """The phase summary: its period and milestones, the main tasks' progress
    (demands, and problems found and closed), then the cockpit's figures; in
    ``script`` (default: the active language's)."""
    document = OfficialDocx(script or document_script())
    _header(
        document,
        figures,
        _("%(campaign)s: summary of the phase “%(phase)s”")
        % {"campaign": figures.campaign.name, "phase": phase.name},
    )
    if phase.description:
        document.paragraph(phase.description)
    document.heading(_("Milestones of the phase"), level=1)
    for row in milestone_progress(phase.campaign):
        if row.phase.pk == phase.pk:
            document.paragraph(
                _("%(done)d of %(total)d milestones done, %(overdue)d overdue.")
                % {"done": row.done, "total": row.total, "overdue": row.overdue}
            )
    document.heading(_("Main tasks"), level=1)
    problems = _problems_by_task(figures)
    demands = {row.key: row for row in figures.by_main_task}
    tasks = phase.campaign.main_tasks.order_by("sequence")
    _table(
        document,
        [
            _("Main task"),
            _("Demands received"),
            _("Satisfaction rate"),
            _("Problems found"),
            _("Problems closed"),
        ],
        [
            [
                task.name,
                demands[task.pk].received if task.pk in demands else 0,
                _percent(
                    demands[task.pk].satisfaction_rate if task.pk in demands else None
                ),
                *problems.get(task.pk, (0, 0)),
            ]
            for task in tasks
        ],
    )
    _figures(document, figures)
    _closing(document, figures)
    return document


def _closing(document: OfficialDocx, figures: Figures) -> None:
    document.signature(
        figures.campaign.issuing_office,
        formats.date_format(timezone.localdate(figures.generated_at), "DATE_FORMAT"),
    )


def _problems_by_task(figures: Figures) -> dict[Any, tuple[int, int]]:
    """main task → (problems found in the period, of them closed), one aggregate."""
    problems = Problem.objects.filter(
        campaign=figures.campaign,
        created_at__date__gte=figures.start,
        created_at__date__lte=figures.end,
    )
    if figures.unit is not None:
        problems = problems.filter(unit=figures.unit)
    rows = (
        problems.order_by()
        .values("main_task_id")
        .annotate(
            found=Count("pk"), closed=Count("pk", filter=Q(status=ProblemStatus.CLOSED))
        )
    )
    return {row["main_task_id"]: (row["found"], row["closed"]) for row in rows}


def _figures(document: OfficialDocx, figures: Figures) -> None:
    d = figures.demands
    document.heading(_("Demands"), level=1)
    _table(
        document,
        [_("Figure"), _("Value")],
        [
            [_("Received in the period"), d.received],
            [_("Open now"), figures.open_count],
            [_("Overdue now"), figures.overdue_count],
            [_("Response rate"), _percent(d.response_rate)],
            [_("On-time reply rate"), _percent(d.on_time_reply_rate)],
            [_("Resolution rate"), _percent(d.resolution_rate)],
            [_("Satisfaction rate"), _percent(d.satisfaction_rate)],
            [_("Reopen rate"), _percent(d.reopen_rate)],
        ],
    )
    if figures.by_main_task:
        document.heading(_("Demands by main task"), level=2)
        _table(
            document,
            [_("Main task"), _("Received"), _("Satisfaction rate")],
            [
                [row.label, row.received, _percent(row.satisfaction_rate)]
                for row in figures.by_main_task
            ],
        )
    document.heading(_("Campaign progress"), level=1)
    for phase in figures.phases:
        dates = f"{phase.starts_on} – {phase.ends_on}"
        document.paragraph(f"{phase.name}（{dates}）：{_percent(phase.elapsed)}")
    document.heading(_("Rectification, deeds and submissions"), level=1)
    _progress(document, _("On-time rectification"), figures.rectification, False)
    _progress(document, _("Practical deeds done"), figures.deeds, False)
    _progress(document, _("Published submissions"), figures.submissions, True)
    document.heading(_("Achievements and problems"), level=1)
    document.paragraph(
        _(
            "%(replied)d demands were replied in the period, %(solved)d of them "
            "solved; %(overdue)d are overdue now and are under the office's "
            "supervision."
        )
        % {"replied": d.replied, "solved": d.solved, "overdue": figures.overdue_count}
    )
    if figures.supervision:
        document.heading(_("To supervise"), level=2)
        _table(
            document,
            [_("Tracking number"), _("Title"), _("Unit")],
            [
                [x.tracking_no, x.masked_title, x.unit.name if x.unit else "—"]
                for x in figures.supervision
            ],
        )
    if figures.topics:
        document.heading(_("Hot topics"), level=1)
        _table(
            document,
            [_("Topic"), _("Demands"), _("Previous period")],
            [[t.word, t.count, t.previous] for t in figures.topics],
        )
    document.heading(_("Ranking"), level=1)
    if figures.ranking is None:
        document.paragraph(_("No indicator set in force."))
    else:
        _table(
            document,
            [_("Rank"), _("Unit"), _("Total")],
            [
                [r.shown_rank, r.unit_name, r.shown_total]
                for r in figures.ranking[:RANKING_SHOWN]
            ],
        )
