"""An article with a wide picture read on a 390 px phone: the page does not scroll
sideways."""

import datetime

import pytest

from publicity.models import ArticleImage
from publicity.tests.conftest import (
    ignores_rendition_temp_file,
    make_picture,
    publish_plain,
)

pytestmark = [
    pytest.mark.browser,
    ignores_rendition_temp_file,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def article_url(settings, tmp_path, column):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True  # the development server's media route answers
    image = make_picture(1600, 1000)
    article = publish_plain(
        column,
        "珠江委深入基層調研",
        on=datetime.date(2007, 3, 28),
        body=(
            "<p>珠江委組織幹部深入基層。</p>"
            f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="現場"/>'
        ),
    )
    ArticleImage.objects.create(page=article, image=image, sort_order=0)
    return article.url


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_an_articles_pictures_fit_a_phone(article_url, browser_page, language):  # type: ignore[no-untyped-def]
    page = browser_page
    page.set_viewport_size(PHONE)
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto(article_url)
    page.wait_for_load_state("load")
    widths = page.eval_on_selector_all(
        "main img", "images => images.map(i => i.getBoundingClientRect().width)"
    )
    assert len(widths) == 2
    assert all(0 < width <= PHONE["width"] for width in widths), widths
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
