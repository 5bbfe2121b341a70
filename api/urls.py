from django.urls import URLPattern, URLResolver, path, register_converter

from api import open311
from api.v1 import api, root


class Format:
    """Open311's formats, named by the URL's extension."""

    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Format, "format")

v1_urls: list[URLPattern | URLResolver] = [
    path("", root, name="api-v1-root"),
    path("", api.urls),
]

open311_urls: list[URLPattern | URLResolver] = [
    path("discovery.<format:fmt>", open311.discovery, name="open311-discovery"),
    path("services.<format:fmt>", open311.services, name="open311-services"),
    path(
        "services/<str:service_code>.<format:fmt>",
        open311.service_definition,
        name="open311-service",
    ),
    path("requests.<format:fmt>", open311.requests, name="open311-requests"),
    path(
        "requests/<str:request_id>.<format:fmt>",
        open311.request_detail,
        name="open311-request",
    ),
    path("tokens/<str:token>.<format:fmt>", open311.token_detail, name="open311-token"),
]
