"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), JSON only.

Services are the dispatch catalogue: one per open category of a live campaign, its
service_code the category's id, with the demand kind and urgency as attributes.
``jurisdiction_id`` is the campaign's slug. Statuses map to ``open`` (submitted,
dispatched, returned, accepted, reopened) and ``closed`` (replied, closed).

The public lists show only demands whose submitter allowed publication and that the
office has dispatched (its first look); any other number answers 404, exactly like
an unknown one, unless the request carries the demand's query code in the
``X-Query-Code`` header, and then it shows what the public tracking page shows: no
text beyond the title, no address, no contact. A ``query_code`` in the URL is
refused, as access logs keep URLs. That code is returned once, by the POST that
files the demand, as ``query_code`` beside the standard fields (an extension of the
spec); ``token`` is null because the ``service_request_id`` is known at once.

Filing takes an ``api_key``, an API token issued in the admin to an integrator; each
key has its own rate limit, and without one nothing is filed, so that no website can
file through its visitors' browsers with a form.
"""

import datetime
import json
import re
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.validators import slug_re
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from api.auth import RateLimited, authenticate_key, rate_limit
from api.models import hash_key
from api.schemas import clean
from campaigns.models import Campaign
from demands import actions
from demands.models import (
    OPEN_STATUSES,
    Category,
    Channel,
    Demand,
    DemandKind,
    DemandStatus,
    Urgency,
)
from sanfu.lib.digits import parse_key
from sanfu.lib.keyset import parse_moment

MAX_REQUESTS = 1000
TITLE_LENGTH = 40
_ID = re.compile(r"[0-9A-Za-z]{1,20}")  # whole values: fullmatch
_CODE = re.compile(r"[0-9A-Za-z]{1,32}")
_PHONE = re.compile(r"[0-9+\-() ]{0,30}")
_CJK = re.compile(r"[\u3400-\u9fff]")


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions)
        self.status = status
        self.descriptions = descriptions


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )


def _errors(status: int, *descriptions: str) -> JsonResponse:
    return _json([{"code": status, "description": d} for d in descriptions], status)


def open311_view(view: Any) -> Any:
    """Open311's error shape for refusals, the rate limit and oversize bodies; and
    no query code in a URL, which access logs would keep."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "query_code" in request.GET:
            return _errors(
                400,
                _("Send the query code in the X-Query-Code header, never in the URL."),
            )
        try:
            return view(request, *args, **kwargs)
        except Open311Error as exc:
            return _errors(exc.status, *exc.descriptions)
        except RequestDataTooBig:
            return _errors(413, _("The request body is too large."))
        except RateLimited as exc:
            response = _errors(429, _("Too many requests; try again later."))
            response["Retry-After"] = str(exc.retry_after)
            return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- services -------------------------------------------------------------------


def _categories(request: HttpRequest) -> QuerySet[Category]:
    categories = Category.objects.filter(
        is_active=True, campaign__in=Campaign.objects.accepting()
    ).select_related("campaign", "main_task")
    return _in_jurisdiction(categories, request.GET)


def _in_jurisdiction(rows: QuerySet[Any], params: QueryDict) -> QuerySet[Any]:
    """The rows of the campaign ``jurisdiction_id`` names, when it names one. A
    value no slug can be matches no campaign, and is not sent to the database
    (PostgreSQL refuses a NUL byte in text)."""
    jurisdiction = params.get("jurisdiction_id")
    if not jurisdiction:
        return rows
    longest = Campaign._meta.get_field("slug").max_length or 0
    if len(jurisdiction) > longest or not slug_re.match(jurisdiction):
        return rows.none()
    return rows.filter(campaign__slug=jurisdiction)


@require_GET
@open311_view
def discovery(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    return _json(
        {
            "changeset": "2024-01-01T00:00:00Z",
            "contact": _("The campaign office"),
            "key_service": _("API tokens are issued in the admin."),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": "2024-01-01T00:00:00Z",
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


@require_GET
@open311_view
def services(request: HttpRequest) -> HttpResponse:
    return _json(
        [
            {
                "service_code": str(category.pk),
                "service_name": category.name,
                "description": f"{category.campaign.name}: {category.main_task.name}",
                "metadata": True,
                "type": "realtime",
                "keywords": category.campaign.slug,
                "group": category.campaign.name,
            }
            for category in _categories(request)
        ]
    )


def _choice_attribute(code: str, label: str, order: int, choices: Any) -> Any:
    return {
        "variable": True,
        "code": code,
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": label,
        "order": order,
        "description": label,
        "values": [{"key": value, "name": str(name)} for value, name in choices],
    }


@require_GET
@open311_view
def service_definition(request: HttpRequest, service_code: str) -> HttpResponse:
    category = _category(request, service_code)
    return _json(
        {
            "service_code": str(category.pk),
            "attributes": [
                _choice_attribute(
                    "kind", _("Kind (default: request for help)"), 1, DemandKind.choices
                ),
                _choice_attribute(
                    "urgency", _("Urgency (default: normal)"), 2, Urgency.choices
                ),
            ],
        }
    )


def _category(request: HttpRequest, service_code: str) -> Category:
    key = parse_key(service_code)
    if key is None:
        raise Open311Error(404, _("There is no such service."))
    category = _categories(request).filter(pk=key).first()
    if category is None:
        raise Open311Error(404, _("There is no such service."))
    return category


# --- requests -------------------------------------------------------------------


def _public_demands() -> QuerySet[Demand]:
    return (
        # as on the website: only answered demands whose submitter agreed
        Demand.objects.filter(
            allow_publish=True,
            campaign__in=Campaign.objects.live(),
            status__in=[DemandStatus.REPLIED, DemandStatus.CLOSED],
        ).select_related("category", "unit")
    )


def _service_request(demand: Demand, *, submitter: bool = False) -> dict[str, Any]:
    """One request as Open311 shows it, to the public and to the submitter alike
    (as the public tracking page does): the title, no address. The submitter, who
    gave the query code, reads the title as typed; the public reads it masked."""
    stamps = [
        demand.submitted_at,
        demand.dispatched_at,
        demand.accepted_at,
        demand.replied_at,
        demand.closed_at,
    ]
    updated = max(stamp for stamp in stamps if stamp is not None)
    due = demand.current_due()
    replied = demand.status in (DemandStatus.REPLIED, DemandStatus.CLOSED)
    # the public reads the text with its personal data masked (text.personal)
    texts = demand.shown_texts(unmasked=submitter)
    return {
        "service_request_id": demand.tracking_no,
        "status": "open" if demand.status in OPEN_STATUSES else "closed",
        "status_notes": texts["reply"] if replied else "",
        "service_name": (
            demand.category.name if demand.category else demand.get_kind_display()
        ),
        "service_code": str(demand.category_id) if demand.category_id else None,
        "description": texts["title"],
        "agency_responsible": demand.unit.name if demand.unit else "",
        "service_notice": demand.get_status_display(),
        "requested_datetime": demand.submitted_at.isoformat(),
        "updated_datetime": updated.isoformat(),
        "expected_datetime": due.isoformat() if due else None,
        "address": "",
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _date(params: QueryDict, name: str) -> datetime.datetime | None:
    raw = params.get(name)
    if not raw:
        return None
    value = parse_moment(
        raw.replace(" ", "+"), default_zone=timezone.get_current_timezone()
    )
    if value is None:
        raise Open311Error(400, _("%(name)s is not a date and time.") % {"name": name})
    return value


@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311_view
def requests(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _create(request)
    rate_limit(request, "lookup")
    params = request.GET
    demands = _public_demands().order_by("-submitted_at", "-id")
    ids = [i for i in params.get("service_request_id", "").split(",") if i]
    if ids:
        demands = demands.filter(tracking_no__in=[i for i in ids if _ID.fullmatch(i)])
    if params.get("service_code"):
        keys = [parse_key(code) for code in params["service_code"].split(",")]
        if None in keys:
            raise Open311Error(400, _("service_code must be a service's code."))
        demands = demands.filter(category_id__in=keys)
    demands = _in_jurisdiction(demands, params)
    status = params.get("status")
    if status == "open":
        demands = demands.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        demands = demands.exclude(status__in=OPEN_STATUSES)
    elif status:
        raise Open311Error(400, _("status must be open or closed."))
    start, end = _date(params, "start_date"), _date(params, "end_date")
    if start:
        demands = demands.filter(submitted_at__gte=start)
    if end:
        demands = demands.filter(submitted_at__lte=end)
    return _json([_service_request(d) for d in demands[:MAX_REQUESTS]])


@require_GET
@open311_view
def request_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    rate_limit(request, "lookup")
    not_found = Open311Error(404, _("There is no such request."))
    if not _ID.fullmatch(request_id):
        raise not_found
    code = request.headers.get("X-Query-Code", "")
    if code:
        if not _CODE.fullmatch(code):
            raise not_found
        demand = Demand.objects.select_related("category", "unit").filter(
            tracking_no=request_id.upper()
        )
        found = demand.first()
        if found is None or not found.check_query_code(code):
            raise not_found
        return _json([_service_request(found, submitter=True)])
    found = _public_demands().filter(tracking_no=request_id).first()
    if found is None:
        raise not_found
    return _json([_service_request(found)])


def _post_data(request: HttpRequest) -> QueryDict | dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise Open311Error(400, _("The body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise Open311Error(400, _("The body is not valid JSON."))
        return {key: str(value) for key, value in data.items()}
    return request.POST


def _create(request: HttpRequest) -> HttpResponse:
    data = _post_data(request)
    api_key = str(data.get("api_key", ""))[:200].strip()
    if not api_key:
        raise Open311Error(403, _("An api_key is required to file a request."))
    if authenticate_key(api_key) is None:
        raise Open311Error(403, _("The api_key is not valid."))
    # per key, whoever holds it: an integrator's server files for many people
    rate_limit(request, "open311_key", key=hash_key(api_key))
    category = _category(request, str(data.get("service_code", "")))
    fields = _demand_fields(data)
    demand, code = actions.submit_demand(
        category.campaign, category=category, channel=Channel.OPEN311, **fields
    )
    return _json(
        [
            {
                "service_request_id": demand.tracking_no,
                "token": None,
                "service_notice": _(
                    "Keep the query code: with the number it shows the request's "
                    "progress."
                ),
                "account_id": None,
                "query_code": code,
            }
        ],
        201,
    )


def _demand_fields(data: Any) -> dict[str, Any]:
    def text(name: str, length: int) -> str:
        try:
            return clean(str(data.get(name, "")))[:length]
        except ValueError as error:
            raise Open311Error(400, f"{name}: {error}") from None

    errors = []
    description = text("description", 5001)
    if not description:
        errors.append(_("description is required."))
    elif len(description) > 5000:
        errors.append(_("description is too long."))
    kind = str(data.get("attribute[kind]", "")) or DemandKind.HELP
    if kind not in DemandKind.values:
        errors.append(_("attribute[kind] is not a demand kind."))
    urgency = str(data.get("attribute[urgency]", "")) or Urgency.NORMAL
    if urgency not in Urgency.values:
        errors.append(_("attribute[urgency] is not an urgency."))
    phone = text("phone", 30)
    if not _PHONE.fullmatch(phone):
        errors.append(_("phone is not a phone number."))
    if errors:
        raise Open311Error(400, *errors)
    first, last = text("first_name", 50), text("last_name", 50)
    # Chinese names put the family name first.
    western = f"{first} {last}".strip()
    name = last + first if _CJK.search(first + last) else western
    location = text("address_string", 200)
    if not location and data.get("lat") and data.get("long"):
        location = f"{text('lat', 20)},{text('long', 20)}"
    first_line = description.split("\n", 1)[0]
    title = first_line[:TITLE_LENGTH] + ("…" if len(first_line) > TITLE_LENGTH else "")
    return {
        "kind": kind,
        "urgency": urgency,
        "title": title,
        "content": description,
        "location": location,
        "submitter_name": name,
        "submitter_phone": phone,
        "allow_publish": str(data.get("allow_publish", "")).lower() in {"1", "true"},
    }
