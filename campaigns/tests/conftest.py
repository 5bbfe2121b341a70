import datetime

import pytest

from campaigns.models import Meeting


@pytest.fixture
def meeting(world) -> Meeting:
    return Meeting.objects.create(
        campaign=world.campaign,
        title="研究部署會議",
        held_on=datetime.date(2007, 3, 27),
        place="會議室",
        host=world.director,
    )
