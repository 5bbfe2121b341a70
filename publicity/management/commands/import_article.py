from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from publicity.actions import ArticleImportPlan, import_article, plan_article_import
from publicity.models import CampaignPage
from text.articles import ArticleImportError, ParsedArticle, parse_article

MAX_ARTICLE_BYTES = 2 * 1024 * 1024
BODY_PREVIEW_LENGTH = 60


class Command(BaseCommand):
    help = (
        "Import an article text file (cleaned; source and date from its last line) "
        "into a campaign's column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--campaign",
            required=True,
            help="Slug of the campaign whose column gets it.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be stored, and store nothing.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Import despite warnings (a date outside the campaign's period).",
        )

    def handle(
        self,
        *args: Any,
        path: Path,
        campaign: str,
        dry_run: bool = False,
        force: bool = False,
        **options: Any,
    ) -> None:
        column = CampaignPage.objects.filter(campaign__slug=campaign).first()
        if column is None:
            raise CommandError(_("No campaign column for campaign %s.") % campaign)
        try:
            if path.stat().st_size > MAX_ARTICLE_BYTES:
                raise CommandError(_("%s is too large for an article.") % path)
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s")
                % {"path": path, "error": exc.strerror}
            ) from exc
        try:
            parsed = parse_article(raw, filename=path.name)
        except ArticleImportError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        plan = plan_article_import(parsed, column)
        if dry_run:
            self._show(parsed, plan)
            return
        try:
            article = import_article(parsed, column, actor=None, accept_warnings=force)
        except ArticleImportError as exc:
            message = f"{path}: {exc}"
            if plan.warnings and plan.duplicate is None and not force:
                message += " " + _("Use --force to import it anyway.")
            raise CommandError(message) from exc
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(_("Accepted: %s") % warning))
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported “%(title)s” (%(source)s, %(date)s).")
                % {
                    "title": article.title,
                    "source": article.source,
                    "date": article.published_on.isoformat(),
                }
            )
        )

    def _show(self, parsed: ParsedArticle, plan: ArticleImportPlan) -> None:
        body = parsed.body.replace("\n", " ")
        if len(body) > BODY_PREVIEW_LENGTH:
            body = body[:BODY_PREVIEW_LENGTH] + "…"
        lines = [
            _("Dry run: nothing is stored."),
            _("Title: %s") % plan.title,
            _("Date: %s") % parsed.published_on.isoformat(),
            _("Source: %s") % parsed.source,
            _("Dateline: %s") % (parsed.dateline or "—"),
            _("Slug: %s") % plan.slug,
            _("Category: %s") % plan.category.label,
            _("Body: %s") % body,
        ]
        self.stdout.write("\n".join(lines))
        if plan.duplicate is not None:
            self.stdout.write(
                self.style.ERROR(
                    _("Duplicate of “%(title)s” (%(date)s): it would be refused.")
                    % {
                        "title": plan.duplicate.title,
                        "date": plan.duplicate.published_on.isoformat(),
                    }
                )
            )
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(_("Warning: %s") % warning))
