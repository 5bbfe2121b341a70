"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), in XML (the
specification's default) and JSON: every endpoint answers ``.xml`` and ``.json``.

Services are the dispatch catalogue: one per open category of a live campaign, its
service_code the category's id, with the demand kind and urgency as attributes.
``jurisdiction_id`` is the campaign's slug; one that names no campaign is a 404.
Statuses map to ``open`` (submitted, dispatched, returned, accepted, reopened) and
``closed`` (replied, closed); ``status=open,closed`` asks for both.

What a request shows depends on who asks (``_service_request``):
- anyone, by its number: its state — status, service, unit, dates — and no text, no
  place, no person, so that a client reads back what it filed (the numbers count
  up, and a state says nothing about anybody);
- the public lists, and anyone by number for those: the demands whose submitter
  allowed publication and that have been answered, with the title and the reply
  masked (``text.personal``);
- the submitter, with the demand's query code in the ``X-Query-Code`` header: what
  the tracking page shows them — the text as typed, the address and the point they
  gave, the state and the reply; never their name, phone or e-mail address. A
  ``query_code`` in the URL is refused, as access logs keep URLs.
The e-mail address a client sends is kept for the office and never shown here.

Filing returns the number at once, the query code (once, an extension of the
specification) and a ``token``; ``tokens/{token}`` gives the number again. It takes
an ``api_key``, an API token issued in the admin to an integrator; each key has its
own rate limit, and without one nothing is filed, so that no website can file
through its visitors' browsers with a form.
"""

import datetime
import json
import re
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import slug_re, validate_email
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from api.auth import RateLimited, authenticate_key, rate_limit
from api.models import Open311Token, hash_key
from api.schemas import clean
from campaigns.models import Campaign
from core.digits import parse_key
from core.keyset import parse_moment
from demands import actions
from demands.models import (
    OPEN_STATUSES,
    Area,
    Category,
    Channel,
    Demand,
    DemandKind,
    DemandStatus,
    Urgency,
)
from demands.places import parse_point

MAX_REQUESTS = 1000
TITLE_LENGTH = 40
_ID = re.compile(r"[0-9A-Za-z]{1,20}")  # whole values: fullmatch
_CODE = re.compile(r"[0-9A-Za-z]{1,32}")
_PHONE = re.compile(r"[0-9+\-() ]{0,30}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_TOKEN = re.compile(r"[0-9a-f]{32}")


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions)
        self.status = status
        self.descriptions = descriptions


# the element each item of a list is written as, in the XML format
_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
# characters XML 1.0 cannot carry, even escaped
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _element(parent: Element, name: str, value: Any) -> None:
    element = SubElement(parent, name)
    _fill(element, name, value)


def _fill(element: Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _element(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _element(element, _ITEMS[name], item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("", str(value))


def _answer(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    """``data`` in the format the URL names; ``root`` is the XML document's element
    (a list's items are named by ``_ITEMS``)."""
    if fmt == "xml":
        top = Element(root)
        _fill(top, root, data)
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + tostring(
            top, encoding="unicode"
        )
        return HttpResponse(
            body.encode(), status=status, content_type="text/xml; charset=utf-8"
        )
    return JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )


def _errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    errors = [{"code": status, "description": d} for d in descriptions]
    return _answer(fmt, "errors", errors, status)


def open311_view(view: Any) -> Any:
    """Open311's error shape for refusals, the rate limit and oversize bodies; and
    no query code in a URL, which access logs would keep."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = kwargs.get("fmt", "json")
        if "query_code" in request.GET:
            return _errors(
                fmt,
                400,
                _("Send the query code in the X-Query-Code header, never in the URL."),
            )
        try:
            return view(request, *args, **kwargs)
        except Open311Error as exc:
            return _errors(fmt, exc.status, *exc.descriptions)
        except RequestDataTooBig:
            return _errors(fmt, 413, _("The request body is too large."))
        except RateLimited as exc:
            response = _errors(fmt, 429, _("Too many requests; try again later."))
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
    """The rows of the campaign ``jurisdiction_id`` names, when it names one; a
    404 when it names no live campaign. A value no slug can be is not sent to the
    database (PostgreSQL refuses a NUL byte in text)."""
    jurisdiction = params.get("jurisdiction_id")
    if not jurisdiction:
        return rows
    longest = Campaign._meta.get_field("slug").max_length or 0
    if (
        len(jurisdiction) > longest
        or not slug_re.match(jurisdiction)
        or not Campaign.objects.live().filter(slug=jurisdiction).exists()
    ):
        raise Open311Error(404, _("There is no such jurisdiction."))
    return rows.filter(campaign__slug=jurisdiction)


@require_GET
@open311_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    return _answer(
        fmt,
        "discovery",
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
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@require_GET
@open311_view
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return _answer(
        fmt,
        "services",
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
        ],
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
def service_definition(
    request: HttpRequest, service_code: str, fmt: str
) -> HttpResponse:
    category = _category(request, service_code)
    return _answer(
        fmt,
        "service_definition",
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
        },
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


def _live_demands() -> QuerySet[Demand]:
    return Demand.objects.filter(campaign__in=Campaign.objects.live()).select_related(
        "category", "unit", "area__district"
    )


def _is_public(demand: Demand) -> bool:
    """As on the website: only answered demands whose submitter agreed."""
    return demand.allow_publish and demand.status in _ANSWERED


_ANSWERED = (DemandStatus.REPLIED, DemandStatus.CLOSED)
# open to Open311: in hand, or merged into a parent order whose reply it awaits
_OPEN = (*OPEN_STATUSES, DemandStatus.MERGED)


def _public_demands() -> QuerySet[Demand]:
    return _live_demands().filter(allow_publish=True, status__in=_ANSWERED)


def _service_request(demand: Demand, *, submitter: bool = False) -> dict[str, Any]:
    """One request as Open311 shows it (the module's docstring says to whom): the
    state to anyone; the masked title and reply of a published one; what they
    filed — the text as typed, the address and the point — to its submitter."""
    stamps = [
        demand.submitted_at,
        demand.dispatched_at,
        demand.accepted_at,
        demand.replied_at,
        demand.closed_at,
    ]
    updated = max(stamp for stamp in stamps if stamp is not None)
    due = demand.current_due()
    shown = submitter or _is_public(demand)
    # the public reads the text with its personal data masked (text.personal)
    texts = demand.shown_texts(unmasked=submitter)
    lat, long = (demand.latitude, demand.longitude) if submitter else (None, None)
    return {
        "service_request_id": demand.tracking_no,
        "status": "open" if demand.status in _OPEN else "closed",
        "status_notes": texts["reply"] if shown and demand.status in _ANSWERED else "",
        "service_name": (
            demand.category.name if demand.category else demand.get_kind_display()
        ),
        "service_code": str(demand.category_id) if demand.category_id else None,
        "description": (
            texts["content"] if submitter else texts["title"] if shown else ""
        ),
        "agency_responsible": demand.unit.name if demand.unit else "",
        "service_notice": demand.get_status_display(),
        "requested_datetime": demand.submitted_at.isoformat(),
        "updated_datetime": updated.isoformat(),
        "expected_datetime": due.isoformat() if due else None,
        # the address as the client sent it, or the district and street it chose
        "address": (
            (texts["location"] or (demand.area.full_name if demand.area else ""))
            if submitter
            else ""
        ),
        "address_id": str(demand.area_id) if submitter and demand.area_id else None,
        "zipcode": None,
        "lat": float(lat) if lat is not None else None,
        "long": float(long) if long is not None else None,
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
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
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
    statuses = {value for value in params.get("status", "").split(",") if value}
    if not statuses <= {"open", "closed"}:
        raise Open311Error(400, _("status must be open, closed or both."))
    if statuses == {"open"}:
        demands = demands.filter(status__in=_OPEN)
    elif statuses == {"closed"}:
        demands = demands.exclude(status__in=_OPEN)
    start, end = _date(params, "start_date"), _date(params, "end_date")
    if start:
        demands = demands.filter(submitted_at__gte=start)
    if end:
        demands = demands.filter(submitted_at__lte=end)
    found = [_service_request(d) for d in demands[:MAX_REQUESTS]]
    return _answer(fmt, "service_requests", found)


@require_GET
@open311_view
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    rate_limit(request, "lookup")
    not_found = Open311Error(404, _("There is no such request."))
    if not _ID.fullmatch(request_id):
        raise not_found
    demands = _in_jurisdiction(_live_demands(), request.GET)
    found = demands.filter(tracking_no=request_id.upper()).first()
    code = request.headers.get("X-Query-Code", "")
    if found is None or (code and not _CODE.fullmatch(code)):
        raise not_found
    submitter = bool(code)
    if submitter and not found.check_query_code(code):
        raise not_found
    return _answer(
        fmt, "service_requests", [_service_request(found, submitter=submitter)]
    )


@require_GET
@open311_view
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """The number of the request filed with ``token``."""
    rate_limit(request, "lookup")
    found = (
        Open311Token.objects.filter(
            token=token, demand__campaign__in=Campaign.objects.live()
        )
        .select_related("demand")
        .first()
        if _TOKEN.fullmatch(token)
        else None
    )
    if found is None:
        raise Open311Error(404, _("There is no such token."))
    return _answer(
        fmt,
        "service_requests",
        [{"service_request_id": found.demand.tracking_no, "token": found.token}],
    )


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


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
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
    fields["area"] = _area(category.campaign, data.get("address_id"))
    demand, code = actions.submit_demand(
        category.campaign, category=category, channel=Channel.OPEN311, **fields
    )
    return _answer(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": demand.tracking_no,
                "token": Open311Token.issue(demand),
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
    first, last = text("first_name", 50), text("last_name", 50)
    # Chinese names put the family name first.
    western = f"{first} {last}".strip()
    name = last + first if _CJK.search(first + last) else western
    location = text("address_string", 200)
    point = _point(data.get("lat"), data.get("long"), errors)
    email = text("email", 254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("email is not an e-mail address."))
    if errors:
        raise Open311Error(400, *errors)
    first_line = description.split("\n", 1)[0]
    title = first_line[:TITLE_LENGTH] + ("…" if len(first_line) > TITLE_LENGTH else "")
    return {
        "kind": kind,
        "urgency": urgency,
        "title": title,
        "content": description,
        "location": location,
        "point": point,
        "submitter_name": name,
        "submitter_phone": phone,
        "submitter_email": email,
        "allow_publish": str(data.get("allow_publish", "")).lower() in {"1", "true"},
    }


def _point(lat: Any, long: Any, errors: list[str]) -> tuple[Decimal, Decimal] | None:
    """``lat`` and ``long`` as a point (demands.places), or None; both or neither."""
    try:
        return parse_point(lat, long)
    except ValidationError:
        errors.append(_("lat and long must both be given, in degrees (WGS 84)."))
        return None


def _area(campaign: Campaign, address_id: Any) -> Area | None:
    """GeoReport's ``address_id`` (an id of the jurisdiction's address register) is
    one of the campaign's districts or streets (``demands.Area``)."""
    raw = str(address_id or "").strip()
    if not raw:
        return None
    area = (
        Area.objects.filter(campaign=campaign, is_active=True, pk=int(raw))
        .select_related("district")
        .first()
        if raw.isdigit() and len(raw) < 10
        else None
    )
    if area is None:
        raise Open311Error(400, _("address_id is not an area of this jurisdiction."))
    return area
