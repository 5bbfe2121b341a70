from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from publicity.actions import import_article
from publicity.models import CampaignPage
from text.articles import ArticleImportError, parse_article

MAX_ARTICLE_BYTES = 2 * 1024 * 1024


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

    def handle(self, *args: Any, path: Path, campaign: str, **options: Any) -> None:
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
            article = import_article(
                parse_article(raw, filename=path.name), column, actor=None
            )
        except ArticleImportError as exc:
            raise CommandError(f"{path}: {exc}") from exc
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
