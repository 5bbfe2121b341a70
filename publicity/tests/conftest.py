"""A column for the world's campaign, and helpers that write articles."""

import datetime
import io
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from campaigns.roles import CampaignRole
from campaigns.tests.factories import PositionFactory
from conftest import World, shared_world
from org.models import Person
from org.tests.factories import PersonFactory
from publicity import actions
from publicity.models import ArticlePage, CampaignPage


def build_column(world: World, slug: str = "column") -> CampaignPage:
    home = actions.set_up_site(
        site_name="三服務一促進", home_title="珠江委", actor=world.superuser
    )
    section = actions.create_section(
        home, title="黨群工作網", slug=f"dangqun-{slug}", actor=world.superuser
    )
    return actions.create_column(
        section, world.campaign, title="專欄", slug=slug, actor=world.superuser
    )


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    # Rate limits and cached listings live in the cache, shared between tests.
    cache.clear()


@pytest.fixture
def column(world: World) -> CampaignPage:
    column: CampaignPage | None = shared_world.get("column")
    return column or build_column(world)


shared_world.offer("column", build_column, __file__)


@pytest.fixture
def member(world: World) -> Person:
    """A second member of the leading group: two ballots are due."""
    person = PersonFactory.create(username="w_member")
    PositionFactory.create(
        person=person,
        body=world.leading_group,
        role=CampaignRole.GROUP_MEMBER,
        title="成員",
    )
    return person


def draft(**overrides: Any) -> actions.ArticleDraft:
    fields: dict[str, Any] = {
        "title": "甲處開展調研活動",
        "category": "activities",
        "summary": "甲處深入基層。",
        "body": "<p>甲處深入基層，服務群眾。</p>",
    }
    fields.update(overrides)
    return actions.ArticleDraft(**fields)


def write(world: World, column: CampaignPage, **overrides: Any) -> ArticlePage:
    return actions.save_draft(
        column, draft(**overrides), unit=world.unit_a, actor=world.liaison_a
    )


def publish_plain(
    column: CampaignPage, title: str, *, on: datetime.date, **fields: Any
) -> ArticlePage:
    """A live article written by the office, without review (test data)."""
    fields.setdefault("body", f"<p>{title}</p>")
    page = ArticlePage(title=title, published_on=on, live=True, **fields)
    column.add_child(instance=page)
    return page


def model_on_notice(world: World, column: CampaignPage) -> Any:
    """An advanced model nominated, voted for and put on public notice (公示)."""
    page = actions.nominate_model(
        column,
        unit=world.unit_a,
        kind="person",
        nominee="張三",
        deeds="<p>扎根基層</p>",
        actor=world.liaison_a,
    )
    actions.cast_ballot(page, choice="for", actor=world.leader)
    return actions.start_public_notice(page, days=7, actor=world.leader)


def bring_schedule_forward(page: ArticlePage) -> None:
    """The hour passes: the approved revision's moment is moved into the past."""
    from django.utils import timezone
    from wagtail.models import Revision

    past = timezone.now() - datetime.timedelta(minutes=1)
    for revision in Revision.objects.filter(object_id=str(page.pk)).exclude(
        approved_go_live_at=None
    ):
        revision.approved_go_live_at = past
        revision.content["go_live_at"] = past.isoformat()
        revision.save(update_fields=["approved_go_live_at", "content"])


# Wagtail leaves a rendition's temporary file for the garbage collector to close.
ignores_rendition_temp_file = pytest.mark.filterwarnings(
    "ignore:Exception ignored in.*SpooledTemporaryFile"
    ":pytest.PytestUnraisableExceptionWarning"
)


def make_picture(width: int = 120, height: int = 80) -> Image:
    """A red picture in Wagtail's library (set ``MEDIA_ROOT`` to a temporary folder)."""
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return Image.objects.create(
        title="現場照片", file=ImageFile(io.BytesIO(out.getvalue()), name="photo.png")
    )
