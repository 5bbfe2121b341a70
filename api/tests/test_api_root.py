"""``/api/v1/`` says where the description and the documentation are, and the
documentation page loads nothing from another host (it works offline)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_root_points_to_its_description_and_documentation(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    index = response.json()
    assert index["openapi"].endswith("/api/v1/openapi.json")
    assert client.get(index["openapi"]).json()["info"]["title"] == "Sanfu API"
    assert index["docs"].endswith("/api/v1/docs")
    assert index["open311"].endswith("/open311/v2/discovery.xml")


def test_the_documentation_page_loads_its_scripts_from_our_own_static_files(client):
    page = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(s.endswith("ninja/swagger-ui-bundle.js") for s in sources)
    assert all(s.startswith("/") for s in sources), sources
