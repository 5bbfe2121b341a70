"""Every document kind the platform issues, rendered from the demo: the files
themselves (``demo_documents``), and their pages as PDF through LibreOffice
(``to_pdf``) and as PNG through pdftoppm (``to_png``), so that anyone can look at
them (``manage.py documents_preview``, ``make documents-preview``)."""

import datetime
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from text.documents import FONTS_CONF
from text.script import Script

SOFFICE_TIMEOUT = 180


@dataclass(frozen=True)
class Rendered:
    name: str  # file name, e.g. "briefing.docx"
    content: bytes


class NoDemo(LookupError):
    pass


def demo_documents(script: Script = "hans") -> Iterator[Rendered]:
    """Each kind once, from the demo campaign: briefing (.docx, A4 PDF, A3 wall
    board), weekly and phase reports, the evaluation circular, the reminder notice
    and the demand circular."""
    from campaigns.models import Campaign
    from dashboard import reports
    from dashboard.figures import cockpit_figures
    from demands.documents import notice_docx
    from demands.models import Demand, NoticeKind
    from evaluation.documents import monthly_circular
    from evaluation.models import IndicatorSet
    from org.models import Unit
    from publicity.briefings import exports
    from publicity.models import BriefingPage

    briefing = (
        BriefingPage.objects.live()
        .exclude(campaign=None)
        .order_by("-issue_number", "-pk")
        .first()
    )
    campaign = (
        briefing.campaign
        if briefing is not None
        else Campaign.objects.order_by("pk").first()
    )
    if campaign is None:
        raise NoDemo("No campaign: run `manage.py load_demo` first.")
    latest = (
        Demand.objects.filter(campaign=campaign)
        .filter(submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    # the week and month of the latest demand, so the figures are not all zero
    day = timezone.localdate(latest) if latest else timezone.localdate()
    if briefing is not None:
        yield Rendered("briefing.docx", exports.render_docx(briefing, script=script))
        yield Rendered("briefing.pdf", exports.render_pdf(briefing, script=script))
        yield Rendered(
            "wallboard.pdf",
            exports.render_pdf(briefing, wall_board=True, script=script),
        )
    monday = day - datetime.timedelta(days=day.weekday())
    figures = cockpit_figures(
        campaign, start=monday, end=monday + datetime.timedelta(days=6), unit=None
    )
    yield Rendered(
        "weekly-report.docx", _docx(reports.weekly_report(figures, script=script))
    )
    phase = campaign.phases.order_by("sequence").first()
    if phase is not None:
        figures = cockpit_figures(
            campaign, start=phase.starts_on, end=phase.ends_on, unit=None
        )
        yield Rendered(
            "phase-report.docx",
            _docx(reports.phase_report(phase, figures, script=script)),
        )
    indicator_set = IndicatorSet.objects.filter(campaign=campaign).first()
    if indicator_set is not None:
        yield Rendered(
            "circular.docx",
            _docx(monthly_circular(indicator_set, day, script=script)),
        )
    demands = Demand.objects.filter(campaign=campaign).order_by("pk")
    demand = demands.exclude(unit=None).first() or demands.first()
    unit = (demand.unit if demand else None) or Unit.objects.filter(
        organisation=campaign.organisation
    ).first()
    if demand is not None and unit is not None:
        now = timezone.now()
        for kind, name in (
            (NoticeKind.REMINDER, "reminder.docx"),
            (NoticeKind.CIRCULAR, "notice-circular.docx"),
        ):
            yield Rendered(
                name,
                notice_docx(
                    demand,
                    kind=kind,
                    unit=unit,
                    deadline=now - datetime.timedelta(days=2),
                    now=now,
                ),
            )


def _docx(document: object) -> bytes:
    import io

    out = io.BytesIO()
    document.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_env() -> dict[str, str]:
    """The environment of a LibreOffice render: our font mapping (fonts.conf)."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}


def to_pdf(docx: Path, out_dir: Path) -> Path:
    """``docx`` as ``<stem>-docx.pdf`` through LibreOffice headless, with a private
    profile (two renders at once must not share one)."""
    program = soffice()
    if program is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="sanfu-soffice-") as work:
        profile = Path(work) / "profile"
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=SOFFICE_TIMEOUT,
            env=render_env(),
        )
        made = Path(work) / (docx.stem + ".pdf")
        if not made.exists():
            raise RuntimeError(f"LibreOffice made no PDF of {docx.name}")
        pdf = out_dir / f"{docx.stem}-docx.pdf"
        shutil.move(made, pdf)
    return pdf


def to_png(pdf: Path, out_dir: Path, *, dpi: int = 60) -> list[Path]:
    """Each page of ``pdf`` as ``<stem>-<n>.png``."""
    prefix = out_dir / pdf.stem
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
        timeout=SOFFICE_TIMEOUT,
    )
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))
