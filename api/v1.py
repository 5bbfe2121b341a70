"""The JSON API, version 1: public intake and tracking, and the staff's demand list
and transitions. Every write calls demands.actions; every read goes through
demands.access."""

import base64
import binascii
import datetime
import functools
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    transaction,
)
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from ninja import Header, NinjaAPI, Path, Query, Status
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from api import actions as api_actions
from api.auth import RateLimited, ReadOnlyToken, TokenAuth, rate_limit
from api.schemas import QUERY_CODE as QUERY_CODE_PATTERN
from api.schemas import (
    TRACKING_NO,
    DecideExtensionIn,
    DemandCreated,
    DemandIn,
    DemandPage,
    DispatchIn,
    ErrorOut,
    ExtendIn,
    ExtensionOut,
    Id,
    PublicDemandOut,
    RateIn,
    ReplyIn,
    ReturnIn,
    StaffDemandOut,
)
from campaigns.accepting import accepting_campaign, still_exists
from core.errors import Conflict, refusal_code, refusal_status, refusal_text
from core.keyset import parse_moment
from demands import actions
from demands.access import (
    demands_for_user,
    get_demand_for_public,
    is_handler,
    is_office,
    sees_contact,
)
from demands.models import (
    Category,
    Channel,
    Demand,
    DemandKind,
    DemandStatus,
    Rating,
)
from org.actors import Viewer
from org.models import Person, Unit


class UnsupportedMediaType(Exception):
    """A request body that is not ``application/json``."""


class JsonOnly(Parser):
    """Bodies are JSON, said so in Content-Type. A browser sends a form or a
    ``text/plain`` body to another site without asking it first, but must ask (a
    CORS preflight) before sending ``application/json``, and the API allows no other
    origin: so no other website can file or rate through its visitors' browsers."""

    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type != "application/json":
            raise UnsupportedMediaType(request.content_type)
        return super().parse_body(request)


api = NinjaAPI(
    title="Sanfu API",
    version="1",
    description=(
        "Demands (群眾訴求) of the Sanfu platform. Public endpoints need no "
        "credentials and are rate-limited per client; staff endpoints take "
        "`Authorization: Bearer <key>` with a key issued in the admin. Bodies are "
        "`application/json` (anything else is a 415); the query code goes in the "
        "`X-Query-Code` header or the body, never in the URL. Errors are "
        '`{"code", "message"}`, with `errors` listing invalid fields.'
    ),
    urls_namespace="api-v1",
    parser=JsonOnly(),
)
bearer = TokenAuth()

ERRORS: dict[int, Any] = dict.fromkeys((400, 404, 413, 415, 429), ErrorOut)
STAFF_ERRORS: dict[int, Any] = dict.fromkeys(
    (400, 401, 403, 404, 409, 413, 415), ErrorOut
)


# --- errors: {"code", "message"} in the reader's language ---------------------


class InvalidInput(Exception):
    """Field errors found after the schema's own checks."""

    def __init__(self, **errors: str) -> None:
        super().__init__(errors)
        self.errors = errors


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    body = {"code": code, "message": message, **extra}
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc else ""
        # ninja puts the body's parameter name second: ("body", "payload", "title")
        path = loc[2:] if location == "body" else loc[1:]
        errors.append(
            {"field": ".".join(path), "location": location, "message": error["msg"]}
        )
    return _error(request, 400, "invalid", _("Some fields are invalid."), errors=errors)


@api.exception_handler(InvalidInput)
def _invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    errors = [
        {"field": field, "location": "body", "message": message}
        for field, message in exc.errors.items()
    ]
    return _error(request, 400, "invalid", _("Some fields are invalid."), errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request, 401, "unauthenticated", _("A valid API token is required.")
    )
    response["WWW-Authenticate"] = 'Bearer realm="sanfu"'
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", _("You may not do this to this demand."))


@api.exception_handler(ReadOnlyToken)
def _read_only(request: HttpRequest, exc: ReadOnlyToken) -> HttpResponse:
    return _error(request, 403, "forbidden", str(exc.message))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """An action's refusal (``core.errors``), read as the back office reads it
    (``core.steps``): one naming fields is a field error, another answers its
    own code and status (409 for a ``Conflict``) with its message."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "location": "body", "message": str(message)}
            for field, items in exc.error_dict.items()
            for item in items
            for message in item.messages
        ]
        return _error(
            request, 400, "invalid", _("Some fields are invalid."), errors=errors
        )
    return _error(request, refusal_status(exc), refusal_code(exc), refusal_text(exc))


@api.exception_handler(api_actions.IdempotencyMismatch)
def _key_reused(
    request: HttpRequest, exc: api_actions.IdempotencyMismatch
) -> HttpResponse:
    return _error(
        request,
        422,
        "idempotency_key_reused",
        _("This Idempotency-Key was used for a different request."),
    )


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(
        request, 429, "rate_limited", _("Too many requests; try again later.")
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _busy(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    # SQLite answers "database is locked" when writers queue past its timeout;
    # PostgreSQL fails a request while it restarts or is out of reach. The
    # transaction was rolled back (or, if the connection broke during the commit,
    # its outcome is unknown), so say "try again": a client retrying with its
    # Idempotency-Key files the demand exactly once either way.
    response = _error(
        request, 503, "busy", _("The service is busy; try again in a moment.")
    )
    response["Retry-After"] = "1"
    return response


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "too_large", _("The request body is too large."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, UnsupportedMediaType):
        # ninja reports whatever its parser raised as "cannot parse"
        return _error(
            request,
            415,
            "unsupported_media_type",
            _("The body must be JSON, sent as Content-Type: application/json."),
        )
    code = "bad_request" if exc.status_code == 400 else "error"
    return _error(request, exc.status_code, code, str(exc.message))


# --- public: submit, track, rate ---------------------------------------------


def code_not_in_url(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse a query code in the URL, where access logs, proxies and browser
    histories keep it, before anything else is looked at; even a right one."""

    @functools.wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "code" in request.GET or "query_code" in request.GET:
            return _error(
                request,
                400,
                "query_code_in_url",
                _(
                    "Send the query code in the X-Query-Code header or in the body, "
                    "never in the URL."
                ),
            )
        return run(request, *args, **kwargs)

    return checked


def _parent_number(demand: Demand) -> str | None:
    """The tracking number of the parent order a merged demand is handled with
    (a query only for such a demand, a few of them)."""
    if demand.merged_into_id is None:
        return None
    parent = Demand.objects.filter(pk=demand.merged_into_id)
    return parent.values_list("tracking_no", flat=True).first()


def _public(demand: Demand) -> dict[str, Any]:
    shows_reply = demand.status in (DemandStatus.REPLIED, DemandStatus.CLOSED)
    return {
        "tracking_no": demand.tracking_no,
        "status": demand.status,
        "status_label": demand.get_status_display(),
        "kind": demand.kind,
        "title": demand.title,
        "unit": demand.unit.name if demand.unit else None,
        "submitted_at": demand.submitted_at,
        "dispatched_at": demand.dispatched_at,
        "replied_at": demand.replied_at,
        "closed_at": demand.closed_at,
        "reply": demand.reply if shows_reply and demand.reply else None,
        "solved": demand.solved if shows_reply else None,
        "rating": demand.rating or None,
        "merged_into": _parent_number(demand),
    }


@api.post(
    "/demands",
    response={201: DemandCreated, 422: ErrorOut, 409: ErrorOut, **ERRORS},
    tags=["public"],
    summary="Submit a demand",
)
def submit(
    request: HttpRequest,
    payload: DemandIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="A retry with the same key and body returns the first answer.",
    ),
) -> Status[dict[str, Any]]:
    rate_limit(request, "submit")
    campaign = accepting_campaign(payload.campaign)
    if campaign is None:
        raise InvalidInput(campaign=_("No open campaign has this slug."))
    category = None
    if payload.category is not None:
        category = Category.objects.filter(
            pk=payload.category, campaign=campaign, is_active=True
        ).first()
        if category is None:
            raise InvalidInput(category=_("The campaign has no such open category."))
    fields: dict[str, Any] = {
        "kind": payload.kind,
        "urgency": payload.urgency,
        "category": category,
        "title": payload.title,
        "content": payload.content,
        "location": payload.location,
        "submitter_name": payload.name,
        "submitter_phone": payload.phone,
        "allow_publish": payload.allow_publish,
        "channel": Channel.API,
    }
    try:
        if idempotency_key:
            demand, code, status = api_actions.submit_demand_once(
                campaign,
                idempotency_key=idempotency_key,
                fingerprint=api_actions.request_fingerprint(
                    payload.model_dump(mode="json")
                ),
                fields=fields,
            )
        else:
            demand, code = actions.submit_demand(campaign, **fields)
            status = demand.status
    except IntegrityError:
        if still_exists(campaign):
            raise
        raise InvalidInput(campaign=_("No open campaign has this slug.")) from None
    created = {"tracking_no": demand.tracking_no, "query_code": code, "status": status}
    return Status(201, created)


@api.get(
    "/demands/{tracking_no}",
    response={200: PublicDemandOut, **ERRORS},
    tags=["public"],
    summary="Follow a demand with its query code",
)
@decorate_view(code_not_in_url)
def track(
    request: HttpRequest,
    tracking_no: str = Path(..., pattern=TRACKING_NO),
    code: str = Header(
        ...,
        alias="X-Query-Code",
        pattern=QUERY_CODE_PATTERN,
        description="The query code given when the demand was filed.",
    ),
) -> dict[str, Any]:
    rate_limit(request, "lookup")
    return _public(get_demand_for_public(tracking_no, code))


@api.post(
    "/demands/{tracking_no}/rate",
    response={200: PublicDemandOut, 409: ErrorOut, **ERRORS},
    tags=["public"],
    summary="Rate the reply (滿意 / 基本滿意 / 不滿意 / 不了解)",
)
@decorate_view(code_not_in_url)
def rate(
    request: HttpRequest,
    payload: RateIn,
    tracking_no: str = Path(..., pattern=TRACKING_NO),
) -> dict[str, Any]:
    rate_limit(request, "lookup")
    demand = get_demand_for_public(tracking_no, payload.code)
    return _public(actions.rate_demand(demand, rating=payload.rating))


# --- staff: the list and one endpoint per transition ----------------------------


def _staff(demand: Demand, user: Viewer) -> dict[str, Any]:
    """A demand as staff read it: the submitter's name and phone as typed for
    those who call them back (``demands.access.sees_contact``), masked for others."""
    unmasked = sees_contact(user, demand)
    texts = demand.shown_texts(unmasked=unmasked)
    return {
        "id": demand.pk,
        "tracking_no": demand.tracking_no,
        "campaign": demand.campaign.slug,
        "kind": demand.kind,
        "urgency": demand.urgency,
        "channel": demand.channel,
        "status": demand.status,
        "category": demand.category_id,
        "category_name": demand.category.name if demand.category else None,
        "unit": demand.unit_id,
        "unit_name": demand.unit.name if demand.unit else None,
        "title": texts["title"],
        "content": texts["content"],
        "location": texts["location"],
        "submitter_name": demand.submitter_name if unmasked else demand.masked_name,
        "submitter_phone": (
            demand.submitter_phone if unmasked else demand.masked_phone
        ),
        "allow_publish": demand.allow_publish,
        "possible_duplicate_of": demand.possible_duplicate_of_id,
        "merged_into": demand.merged_into_id,
        "merged_into_tracking_no": _parent_number(demand),
        "submitted_at": demand.submitted_at,
        "dispatch_due": demand.dispatch_due,
        "dispatched_at": demand.dispatched_at,
        "accept_due": demand.accept_due,
        "accepted_at": demand.accepted_at,
        "reply_due": demand.reply_due,
        "replied_at": demand.replied_at,
        "reply": texts["reply"],
        "solved": demand.solved,
        "rating": demand.rating or None,
        "closed_at": demand.closed_at,
        "extension_days": demand.extension_days,
        "reopen_count": demand.reopen_count,
    }


def _actor(request: HttpRequest) -> Person:
    """The person the bearer token acts as (set by ninja's auth)."""
    return request.auth  # type: ignore[attr-defined]


def _visible(user: Viewer) -> Any:
    return demands_for_user(user).select_related("campaign", "category", "unit")


def _get(request: HttpRequest, tracking_no: str) -> Demand:
    """A demand the token's user may see; its actions decide whether they may act.
    A transition's token check (``_may``) already looked it up: that one is used."""
    checked = getattr(request, "sanfu_demand", None)
    if checked is not None and checked.tracking_no == tracking_no:
        return checked
    return get_object_or_404(_visible(_actor(request)), tracking_no=tracking_no)


def _may(allowed: Callable[[Viewer, Demand], bool]) -> TokenAuth:
    """A transition's token: the demand the path names must be one its person sees
    (404) and may take the step on (403), checked before the body is read; the view
    takes the demand found here from the request (``_get``). The action checks
    again on the locked row."""

    def check(request: HttpRequest, user: Person) -> None:
        match = request.resolver_match
        tracking_no = str(match.kwargs.get("tracking_no", "")) if match else ""
        demand = _visible(user).filter(tracking_no=tracking_no).first()
        if demand is None:
            raise Http404
        if not allowed(user, demand):
            raise PermissionDenied
        request.sanfu_demand = demand  # type: ignore[attr-defined]

    return TokenAuth(check=check)


# the steps the office takes, and those the unit the demand is dispatched to takes
by_office = _may(is_office)
by_handler = _may(is_handler)


def _encode_cursor(demand: Demand) -> str:
    raw = json.dumps([demand.submitted_at.isoformat(), demand.pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, pk = json.loads(raw)
        when = parse_moment(stamp) if isinstance(stamp, str) else None
        if when is None or not isinstance(pk, int) or not 0 < pk < 2**63:
            raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(after=_("This cursor is not valid.")) from None
    return when, pk


@api.get(
    "/demands",
    response={200: DemandPage, 400: ErrorOut, 401: ErrorOut},
    auth=bearer,
    tags=["staff"],
    summary="Demands the token's user may see, newest first",
)
def list_demands(
    request: HttpRequest,
    status: DemandStatus | None = None,
    kind: DemandKind | None = None,
    unit: Id | None = None,
    campaign: str | None = Query(None, pattern=r"^[-a-zA-Z0-9_]{1,80}$"),
    limit: int = Query(20, ge=1, le=100),
    after: str | None = Query(None, max_length=200, pattern=r"^[A-Za-z0-9_-]+$"),
) -> dict[str, Any]:
    demands = _visible(_actor(request)).order_by("-submitted_at", "-id")
    if status:
        demands = demands.filter(status=status)
    if kind:
        demands = demands.filter(kind=kind)
    if unit:
        demands = demands.filter(unit_id=unit)
    if campaign:
        demands = demands.filter(campaign__slug=campaign)
    if after:
        when, pk = _decode_cursor(after)
        demands = demands.filter(
            Q(submitted_at__lt=when) | Q(submitted_at=when, id__lt=pk)
        )
    page = list(demands[: limit + 1])
    user = _actor(request)
    items = [_staff(demand, user) for demand in page[:limit]]
    has_more = len(page) > limit
    return {
        "items": items,
        "next": _encode_cursor(page[limit - 1]) if has_more else None,
    }


def _done(request: HttpRequest, demand: Demand) -> dict[str, Any]:
    fresh = _visible(_actor(request)).filter(pk=demand.pk).first()
    if fresh is None:  # returned: the unit no longer sees it
        fresh = Demand.objects.select_related("campaign", "category", "unit").get(
            pk=demand.pk
        )
    return _staff(fresh, _actor(request))


@api.post(
    "/demands/{tracking_no}/dispatch",
    response={200: StaffDemandOut, **STAFF_ERRORS},
    auth=by_office,
    tags=["staff"],
    summary="Dispatch to a unit (分派; office)",
)
def dispatch(
    request: HttpRequest,
    payload: DispatchIn,
    tracking_no: str = Path(..., pattern=TRACKING_NO),
) -> dict[str, Any]:
    demand = _get(request, tracking_no)
    unit = Unit.objects.filter(pk=payload.unit).first()
    if unit is None:
        raise InvalidInput(unit=_("There is no such unit."))
    demand = actions.dispatch_demand(
        demand, unit, actor=_actor(request), note=payload.note
    )
    return _done(request, demand)


@api.post(
    "/demands/{tracking_no}/accept",
    response={200: StaffDemandOut, **STAFF_ERRORS},
    auth=by_handler,
    tags=["staff"],
    summary="Accept (簽收; handling unit)",
)
def accept(
    request: HttpRequest, tracking_no: str = Path(..., pattern=TRACKING_NO)
) -> dict[str, Any]:
    demand = actions.accept_demand(_get(request, tracking_no), actor=_actor(request))
    return _done(request, demand)


@api.post(
    "/demands/{tracking_no}/reply",
    response={200: StaffDemandOut, **STAFF_ERRORS},
    auth=by_handler,
    tags=["staff"],
    summary="Reply (答覆; handling unit)",
)
def reply(
    request: HttpRequest,
    payload: ReplyIn,
    tracking_no: str = Path(..., pattern=TRACKING_NO),
) -> dict[str, Any]:
    demand = actions.reply_demand(
        _get(request, tracking_no),
        reply=payload.reply,
        solved=payload.solved,
        actor=_actor(request),
    )
    return _done(request, demand)


@api.post(
    "/demands/{tracking_no}/return",
    response={200: StaffDemandOut, **STAFF_ERRORS},
    auth=by_handler,
    tags=["staff"],
    summary="Return a wrongly dispatched demand (退回; handling unit)",
)
def return_(
    request: HttpRequest,
    payload: ReturnIn,
    tracking_no: str = Path(..., pattern=TRACKING_NO),
) -> dict[str, Any]:
    demand = actions.return_demand(
        _get(request, tracking_no), reason=payload.reason, actor=_actor(request)
    )
    return _done(request, demand)


@api.post(
    "/demands/{tracking_no}/extend",
    response={201: ExtensionOut, **STAFF_ERRORS},
    auth=by_handler,
    tags=["staff"],
    summary="Ask for more time (延期; handling unit)",
)
def extend(
    request: HttpRequest,
    payload: ExtendIn,
    tracking_no: str = Path(..., pattern=TRACKING_NO),
) -> Status[dict[str, Any]]:
    extension = actions.request_extension(
        _get(request, tracking_no),
        days=payload.days,
        reason=payload.reason,
        actor=_actor(request),
    )
    return Status(
        201,
        {
            "id": extension.pk,
            "days": extension.days,
            "reason": extension.reason,
            "status": extension.status,
        },
    )


@api.post(
    "/demands/{tracking_no}/approve-extension",
    response={200: StaffDemandOut, **STAFF_ERRORS},
    auth=by_office,
    tags=["staff"],
    summary="Approve or refuse an extension request (office)",
)
def approve_extension(
    request: HttpRequest,
    payload: DecideExtensionIn,
    tracking_no: str = Path(..., pattern=TRACKING_NO),
) -> dict[str, Any]:
    demand = _get(request, tracking_no)
    extension = get_object_or_404(demand.extension_requests, pk=payload.extension)
    actions.decide_extension(
        extension, approve=payload.approve, actor=_actor(request), note=payload.note
    )
    return _done(request, demand)


@api.post(
    "/demands/{tracking_no}/reopen",
    response={200: StaffDemandOut, **STAFF_ERRORS},
    auth=by_office,
    tags=["staff"],
    summary="Reopen after an unsatisfied return visit (重辦; office)",
    description=(
        "A demand reopens through an unsatisfied rating, and only once. This records "
        "the unsatisfied answer the office heard at the return visit (回訪), which "
        "reopens a replied demand that was not reopened before; otherwise 409."
    ),
)
def reopen(
    request: HttpRequest, tracking_no: str = Path(..., pattern=TRACKING_NO)
) -> dict[str, Any]:
    demand = _get(request, tracking_no)
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        if locked.status != DemandStatus.REPLIED or locked.reopen_count:
            raise Conflict(_("Only a replied demand not reopened before can reopen."))
        demand = actions.rate_demand(
            locked, rating=Rating.UNSATISFIED, actor=_actor(request)
        )
    return _done(request, demand)


# registered after the steps (/demands/{tracking_no}/reopen and the others): Django
# takes the first pattern a path matches, and this one, first, took a step's POST
# to /demands/id/reopen and answered 405
@api.get(
    "/demands/id/{pk}",
    response={200: StaffDemandOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=bearer,
    tags=["staff"],
    summary="One demand, by its id",
)
def get_demand(request: HttpRequest, pk: Id) -> dict[str, Any]:
    demand = get_object_or_404(_visible(_actor(request)), pk=pk)
    return _staff(demand, _actor(request))


@require_GET
def root(request: HttpRequest) -> HttpResponse:
    """``/api/v1/``: where the API's description, its documentation (served from
    the project's own static files) and Open311 are."""
    return JsonResponse(
        {
            "title": api.title,
            "version": api.version,
            "openapi": request.build_absolute_uri(reverse("api-v1:openapi-json")),
            "docs": request.build_absolute_uri(reverse("api-v1:openapi-view")),
            "open311": request.build_absolute_uri(
                reverse("open311-discovery", kwargs={"fmt": "xml"})
            ),
        }
    )
