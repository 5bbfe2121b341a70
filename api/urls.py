from django.urls import URLPattern, URLResolver, path

from api import open311
from api.v1 import api

v1_urls: list[URLPattern | URLResolver] = [path("", api.urls)]

open311_urls: list[URLPattern | URLResolver] = [
    path("discovery.json", open311.discovery, name="open311-discovery"),
    path("services.json", open311.services, name="open311-services"),
    path(
        "services/<str:service_code>.json",
        open311.service_definition,
        name="open311-service",
    ),
    path("requests.json", open311.requests, name="open311-requests"),
    path(
        "requests/<str:request_id>.json", open311.request_detail, name="open311-request"
    ),
]
