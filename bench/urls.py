"""The project's URLs plus the bare floors the benchmarks compare against."""

import datetime
import json

from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import Context, Template
from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from demands.models import Demand

# Rows the bare write view leaves behind carry this in session_data, so a run can
# delete them afterwards without touching real sessions.
BARE_WRITE_MARK = "bench-bare-write"


def bare(request: HttpRequest, pk: int) -> HttpResponse:
    """One indexed query (primary key), one short response: what any Django view
    costs before it does any work of its own."""
    number = Demand.objects.filter(pk=pk).values_list("tracking_no", flat=True).first()
    return HttpResponse(number or "", content_type="text/plain")


@csrf_exempt
@require_POST
def bare_write(request: HttpRequest) -> HttpResponse:
    """Parse a JSON body, INSERT one row (a session, the most trivial table there
    is), answer 201 with a little JSON: the floor under any intake endpoint."""
    json.loads(request.body or b"{}")
    key = get_random_string(32)
    Session.objects.create(
        session_key=key,
        session_data=BARE_WRITE_MARK,
        expire_date=timezone.now() + datetime.timedelta(hours=1),
    )
    return JsonResponse({"key": key}, status=201)


_PAGE = Template(
    '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8">'
    "<title>{{ title }}</title></head><body><main><h1>{{ title }}</h1><ul>"
    '{% for line in lines %}<li><a href="#{{ forloop.counter }}">{{ line }}</a>'
    "</li>{% endfor %}</ul></main></body></html>"
)
_LINE = "珠江委开展三服务一促进主题实践活动报道"


def bare_page(request: HttpRequest, size: int) -> HttpResponse:
    """A template rendered to about ``size`` bytes with no database: the floor
    under any public page of that size."""
    count = max(1, min(size, 2_000_000) // (len(_LINE.encode()) + 30))
    html = _PAGE.render(Context({"title": "floor", "lines": [_LINE] * count}))
    return HttpResponse(html)


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/bare/<int:pk>/", bare),
    path("bench/bare-page/<int:size>/", bare_page),
    path("bench/bare-write/", bare_write),
    path("", include("sanfu.urls")),
]
