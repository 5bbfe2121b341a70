"""The project's URLs plus the bare floor the benchmark compares against."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from demands.models import Demand


def bare(request: HttpRequest, pk: int) -> HttpResponse:
    """One indexed query (primary key), one short response: what any Django view
    costs before it does any work of its own."""
    number = Demand.objects.filter(pk=pk).values_list("tracking_no", flat=True).first()
    return HttpResponse(number or "", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/bare/<int:pk>/", bare),
    path("", include("sanfu.urls")),
]
