"""How each URL's parameters are filled from the objects of a world (``Things``).

A URL of a Wagtail model viewset takes ``pk`` of its own model, found by model; every
other parameterised URL is named here. A URL that takes parameters and is neither
fails the matrix test, like a URL without a row.
"""

from collections.abc import Callable
from typing import Any

from sanfu.tests.matrix_objects import Things

Fill = Callable[[Things], dict[str, Any]]


def _campaign(t: Things) -> dict[str, Any]:
    return {"campaign": t.world.campaign.pk}


def _pk(attr: str) -> Fill:
    return lambda t: {"pk": getattr(t, attr).pk}


PARAMS: dict[str, Fill] = {
    # campaigns: plans
    "campaign_plans:work_plan": _campaign,
    "campaign_plans:work_plan_step": lambda t: _campaign(t) | {"step": "draft"},
    "campaign_plans:work_plan_version": _pk("work_plan"),
    "campaign_plans:work_plan_version_step": lambda t: {
        "pk": t.work_plan.pk,
        "step": "submit",
    },
    "campaign_plans:work_plan_attachment": _pk("work_plan"),
    "campaign_plans:timeline": _campaign,
    "campaign_plans:timeline_ics": _campaign,
    "campaign_plans:schedule_xlsx": _campaign,
    "campaign_plans:measures_xlsx": _campaign,
    "campaign_plans:milestone_done": _pk("milestone"),
    "campaign_plans:not_submitted": _campaign,
    "campaign_plans:start_unit_plan": lambda t: (
        _campaign(t) | {"unit": t.world.unit_a.pk}
    ),
    "campaign_plans:unit_plan": _pk("unit_plan"),
    "campaign_plans:unit_plan_step": lambda t: {
        "pk": t.unit_plan.pk,
        "step": "submit",
    },
    "campaign_plans:action_item_done": _pk("decision"),
    # publicity: submissions, review, advanced models, briefings
    "publicity_admin:new_submission": lambda t: {"column_id": t.column.pk},
    "publicity_admin:submission": _pk("article"),
    "publicity_admin:review": _pk("article"),
    "publicity_admin:approve": _pk("article"),
    "publicity_admin:reject": _pk("article"),
    "publicity_admin:dismiss": _pk("article"),
    # the matrix's article holds no file: the reach is what is tested here (the
    # files themselves in publicity/tests/test_review_files.py)
    "publicity_admin:article_file": lambda t: {
        "pk": t.article.pk,
        "kind": "image",
        "file_id": 1,
    },
    "publicity_admin:nominate": lambda t: {"column_id": t.column.pk},
    "publicity_admin:model": _pk("model_page"),
    "publicity_admin:vote": _pk("model_page"),
    "publicity_admin:close_vote": _pk("model_page"),
    "publicity_admin:answer_objection": _pk("objection"),
    "publicity_admin:notice": _pk("model_page"),
    "publicity_admin:award": _pk("model_page"),
    "publicity_admin:objections": _pk("model_page"),
    "publicity_briefings:new": _campaign,
    "publicity_briefings:edit": _pk("briefing"),
    "publicity_briefings:publish": _pk("briefing"),
    "publicity:feed": lambda t: {"column_id": t.column.pk},
    "publicity:category_feed": lambda t: {
        "column_id": t.column.pk,
        "category": "activities",
    },
    "publicity:object": _pk("model_page"),
    "publicity:briefing_export": lambda t: {"pk": t.briefing.pk, "kind": "docx"},
    "publicity:briefing_export_status": lambda t: {
        "pk": t.briefing.pk,
        "kind": "pdf",
    },
    "publicity:briefing_list": lambda t: {"campaign_slug": t.world.campaign.slug},
    # demands
    "demands_office:intake_done": _pk("demand"),
    "demands_office:detail": _pk("demand"),
    "demands_office:dispatch": _pk("demand"),
    "demands_office:accept": _pk("demand"),
    "demands_office:return": _pk("demand"),
    "demands_office:supervise": _pk("demand"),
    "demands_office:recall": _pk("demand"),
    "demands_office:reassign": _pk("demand"),
    "demands_office:merge": _pk("demand"),
    "demands_office:split": _pk("demand"),
    "demands_office:extend": _pk("demand"),
    "demands_office:decide_extension": lambda t: {
        "pk": t.demand.pk,
        "extension": t.extension.pk,
    },
    "demands_office:reply": _pk("demand"),
    "demands:tracked_attachment": lambda t: {"attachment_pk": t.attachment.pk},
    "demands_office:attachment": lambda t: {
        "pk": t.demand.pk,
        "attachment_pk": t.attachment.pk,
    },
    "demands_followup:record_visit": _pk("return_visit"),
    "demands_followup:download": _pk("notice"),
    "demands:submit": lambda t: {"campaign_slug": t.world.campaign.slug},
    # ledgers
    "ledgers_admin:visit": _pk("visit"),
    "ledgers_admin:finding_problem": lambda t: {
        "pk": t.visit.pk,
        "finding": t.finding.pk,
    },
    "ledgers_admin:finding_demand": lambda t: {
        "pk": t.visit.pk,
        "finding": t.finding.pk,
    },
    "ledgers_admin:problem": _pk("problem"),
    "ledgers_admin:add_measure": _pk("problem"),
    "ledgers_admin:progress": lambda t: {"pk": t.problem.pk, "measure": t.measure.pk},
    "ledgers_admin:confirm": lambda t: {"pk": t.problem.pk, "measure": t.measure.pk},
    "ledgers_admin:apply": _pk("problem"),
    "ledgers_admin:verify": _pk("problem"),
    "ledgers_admin:return": _pk("problem"),
    "ledgers_admin:publish": _pk("problem"),
    "ledgers_admin:evidence": lambda t: {
        "pk": t.problem.pk,
        "evidence": t.evidence.evidence.first().pk,  # type: ignore[union-attr]
    },
    "ledgers_admin:deed": _pk("deed"),
    "ledgers_admin:deed_progress": _pk("deed"),
    "ledgers_admin:deed_verify": _pk("deed"),
    "ledgers_admin:deed_return": _pk("deed"),
    "ledgers_admin:deed_publish": _pk("deed"),
    "ledgers_admin:deed_photo": lambda t: {
        "pk": t.deed.pk,
        "photo": t.deed_update.photos.first().pk,  # type: ignore[union-attr]
    },
    "ledgers_admin:look_back": _pk("look_back"),
    "ledgers_admin:recheck_answer": lambda t: {
        "pk": t.look_back.pk,
        "item": t.look_back_item.pk,
    },
    "ledgers_admin:recheck_decide": lambda t: {
        "pk": t.look_back.pk,
        "item": t.look_back_item.pk,
    },
    "ledgers_admin:template": lambda t: {"ledger": "problems"},
    "ledgers:disclosure": lambda t: {"campaign": t.world.campaign.slug},
    "ledgers:deeds": lambda t: {"campaign": t.world.campaign.slug},
    "ledgers:rate": lambda t: {"campaign": t.world.campaign.slug, "pk": t.deed.pk},
    # evaluation
    "evaluation_admin:set": _pk("indicator_set"),
    "evaluation_admin:in_force": _pk("indicator_set"),
    "evaluation_admin:ranking": _pk("indicator_set"),
    "evaluation_admin:ranking_export": _pk("indicator_set"),
    "evaluation_admin:sheet": lambda t: {
        "pk": t.indicator_set.pk,
        "unit": t.world.unit_a.pk,
    },
    "evaluation_admin:circular": _pk("indicator_set"),
    "evaluation_admin:round": _pk("inspection_round"),
    "evaluation_admin:score_unit": lambda t: {
        "pk": t.inspection_round.pk,
        "unit": t.world.unit_a.pk,
    },
    "evaluation_admin:publish": _pk("inspection_round"),
    "evaluation_admin:answer": _pk("score"),
    "evaluation_admin:evidence": _pk("score"),
    "evaluation_admin:survey": _pk("survey"),
    "evaluation_admin:survey_open": _pk("survey"),
    "evaluation_admin:survey_close": _pk("survey"),
    "evaluation_admin:tokens": _pk("survey"),
    "evaluation:survey": _pk("survey"),
    # dashboard
    "dashboard:phase_report": _pk("phase"),
    "dashboard:hotspot": _pk("hotspot"),
    "dashboard:hotspot_deed": _pk("hotspot"),
    "dashboard:hotspot_problem": _pk("hotspot"),
    # jobs: start the office's column statistics (a kind whose request carries no
    # query), follow, fetch and retry unit A's liaison's jobs
    "jobs_start": lambda t: {"kind": "publicity_stats"},
    "jobs_status": _pk("job"),
    "jobs_download": _pk("job"),
    "jobs_retry": _pk("failed_job"),
    "ledgers_admin:import_job": _pk("import_preview"),
    "ledgers_admin:import_confirm": _pk("import_preview"),
    # notify
    "notify_open": _pk("notification"),
    # API and Open311
    "api-v1:track": lambda t: {"tracking_no": t.demand.tracking_no},
    "api-v1:rate": lambda t: {"tracking_no": t.demand.tracking_no},
    "api-v1:get_demand": _pk("demand"),
    "api-v1:dispatch": lambda t: {"tracking_no": t.demand.tracking_no},
    "api-v1:accept": lambda t: {"tracking_no": t.demand.tracking_no},
    "api-v1:reply": lambda t: {"tracking_no": t.demand.tracking_no},
    "api-v1:return_": lambda t: {"tracking_no": t.demand.tracking_no},
    "api-v1:extend": lambda t: {"tracking_no": t.demand.tracking_no},
    "api-v1:approve_extension": lambda t: {"tracking_no": t.demand.tracking_no},
    "api-v1:reopen": lambda t: {"tracking_no": t.demand.tracking_no},
    "open311-discovery": lambda t: {"fmt": "json"},
    "open311-services": lambda t: {"fmt": "xml"},
    "open311-service": lambda t: {"service_code": str(t.category.pk), "fmt": "json"},
    "open311-requests": lambda t: {"fmt": "json"},
    "open311-request": lambda t: {"request_id": t.demand.tracking_no, "fmt": "xml"},
    "open311-token": lambda t: {"token": t.open311_token, "fmt": "json"},
    # development only (DEBUG): a private file's old public path finds nothing
    "public_media": lambda t: {"path": "jobs/1/1/result.docx"},
}


def fill(url: Any, things: Things) -> dict[str, Any]:
    """The keyword arguments of ``url`` (an ``authz.Url``) from ``things``."""
    if not url.params:
        return {}
    if url.name in PARAMS:
        return PARAMS[url.name](things)
    if url.model is not None and url.params == ["pk"]:
        return {"pk": things.of(url.model).pk}
    raise LookupError(f"no way to fill the parameters of {url.name} ({url.route})")


Body = Callable[[Things, str, str], dict[str, Any]]

WRONG_CODE = "0000000000"


def _code(t: Things, role: str) -> str:
    # only the submitter knows the query code
    return t.query_code if role == "submitter" else WRONG_CODE


def _on_post(body: Callable[[Things], dict[str, Any]]) -> Body:
    return lambda t, role, method: body(t) if method == "post" else {}


# Bodies that get past the form, so that the matrix sees the permission check and not
# a validation error; the rest are asked with an empty body.
BODIES: dict[str, Body] = {
    "api-v1:rate": lambda t, role, method: {
        "code": _code(t, role),
        "rating": "satisfied",
    },
    "api-v1:dispatch": _on_post(lambda t: {"unit": t.world.unit_b.pk}),
    "api-v1:reply": _on_post(lambda t: {"reply": "已疏通", "solved": True}),
    "api-v1:return_": _on_post(lambda t: {"reason": "非本處職責"}),
    "api-v1:extend": _on_post(lambda t: {"days": 3, "reason": "需協調"}),
    "api-v1:approve_extension": _on_post(
        lambda t: {"extension": t.extension.pk, "approve": True}
    ),
    "publicity_admin:vote": _on_post(lambda t: {"choice": "for"}),
    "publicity_admin:answer_objection": _on_post(lambda t: {"answer": "已核實"}),
    "publicity_admin:notice": _on_post(lambda t: {"days": 7}),
}


def body(name: str, things: Things, role: str, method: str) -> dict[str, Any]:
    make = BODIES.get(name)
    return make(things, role, method) if make else {}


# The query code travels in a header, never in the URL.
HEADERS: dict[str, Callable[[Things, str], dict[str, str]]] = {
    "api-v1:track": lambda t, role: {"X-Query-Code": _code(t, role)},
    "open311-request": lambda t, role: {"X-Query-Code": _code(t, role)},
}


def headers(name: str, things: Things, role: str) -> dict[str, str]:
    make = HEADERS.get(name)
    return make(things, role) if make else {}
