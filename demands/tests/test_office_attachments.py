"""Attachments are personal data: downloaded through a view that checks access, never
served from /media/."""

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, resolve, reverse

import sanfu.urls
from demands import actions
from demands.tests.factories import submit_test_demand
from files.evidence import check_upload
from sanfu.media import public_media

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a scanned letter\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def demand(world):
    upload = check_upload(SimpleUploadedFile("信件.pdf", PDF, "application/pdf"))
    demand = submit_test_demand(world, attachments=[upload])
    return actions.dispatch_demand(demand, world.unit_a, actor=world.director)


def url(demand) -> str:
    attachment = demand.attachments.get()
    return reverse("demands_office:attachment", args=[demand.pk, attachment.pk])


def test_the_handling_unit_downloads_the_attachment(login, world, demand):
    response = login(world.liaison_a).get(url(demand))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_the_detail_page_links_the_download_view(login, world, demand):
    page = login(world.director).get(reverse("demands_office:detail", args=[demand.pk]))
    assert url(demand) in page.content.decode()
    assert "/media/" not in page.content.decode()


def test_another_unit_cannot_download_it(login, world, demand):
    assert login(world.liaison_b).get(url(demand)).status_code == 404


def test_the_public_cannot_download_it(client, world, demand):
    response = client.get(url(demand))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_file_is_not_served_as_public_media(client, settings, world, demand):
    # The development server serves /media/ (DEBUG); the URLconf reads DEBUG when
    # imported, so it is reloaded with DEBUG on for this test.
    settings.DEBUG = True
    importlib.reload(sanfu.urls)
    clear_url_caches()
    try:
        assert resolve("/media/images/page.jpg").func is public_media
        name = demand.attachments.get().file.name
        assert name.startswith("demands/")
        assert client.get(f"/media/{name}").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(sanfu.urls)
        clear_url_caches()
