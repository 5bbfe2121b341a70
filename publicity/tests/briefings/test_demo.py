"""The demo has issue 1 of the briefings, compiled from the seed article."""

import pytest
from django.core.management import call_command

from publicity.models import BriefingPage

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_briefing_number_one_with_the_seed_article(client):
    call_command("load_demo", stdout=None)
    briefing = BriefingPage.objects.get()
    assert briefing.live
    assert briefing.issue_number == 1
    assert "（演示）" in briefing.title
    dates = [article.published_on.isoformat() for article in briefing.chosen_articles()]
    assert "2007-03-28" in dates  # the seed article, among the column's demo ones
    assert client.get(briefing.url).status_code == 200
    # asked for at once; the worker makes it (test_public_views)
    response = client.get(f"/column/briefings/{briefing.pk}/docx/")
    assert response.status_code == 202
