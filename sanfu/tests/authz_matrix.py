"""The authorization matrix: every URL of the project × every role → the answer.

Roles, in this order (``authz.ROLES``): anonymous, the public submitter who gave a
demand's number and query code, unit A's liaison, unit B's liaison, unit A's head,
the office's comprehensive group (綜合組), its publicity group (宣傳組), the office
director, the leading group's leader, a superuser. The objects named by the URLs
belong to unit A of the campaign (``matrix_objects.py``).

Answers (``authz``): ``ok`` 2xx; ``moved`` a redirect onward (the next step, or back
with a message); ``invalid`` 400/422 (allowed to ask, but the empty request was
refused as such); refusals: ``login`` 302 to the sign-in page, ``home`` Wagtail's 302
to the dashboard with an error, ``403``, ``404`` (the object is out of the role's
reach and is not admitted to exist), ``401`` (the API without a valid token); ``405``
the URL takes no GET; ``409`` the step conflicts with the object's state.

Each row gives the answer to a GET and to a POST, role by role. A role named in
``UNWALKED`` (none now) is skipped while its column is being recorded with
``AUTHZ_RECORD``.
"""

from dataclasses import dataclass

from sanfu.tests.authz import ROLES


@dataclass(frozen=True)
class Row:
    get: tuple[str, ...]
    post: tuple[str, ...]


def _answers(spec: str) -> tuple[str, ...]:
    answers = tuple(spec.split())
    assert len(answers) == len(ROLES), spec
    return answers


# (what the URLs are, GET answers, POST answers, URL names)
GROUPS: list[tuple[str, str, str, list[str]]] = [
    (
        "api-v1",
        "401 401 ok 404 ok ok 401 ok 401 ok",
        "405 405 405 405 405 405 405 405 405 405",
        [
            "api-v1:get_demand",
        ],
    ),
    (
        "api-v1",
        "401 401 ok ok ok ok 401 ok 401 ok",
        "invalid invalid invalid invalid invalid invalid invalid invalid invalid "
        "invalid",
        [
            "api-v1:list_demands",
            "api-v1:submit",
        ],
    ),
    (
        "api-v1, publicity",
        "404 404 404 404 404 404 404 404 404 404",
        "404 404 404 404 404 404 404 404 404 404",
        [
            "public_media",
        ],
    ),
    (
        "publicity",
        "404 404 404 404 404 404 404 404 404 404",
        "405 405 405 405 405 405 405 405 405 405",
        [
            "publicity:briefing_export",
            "publicity:briefing_export_status",
        ],
    ),
    (
        "api-v1, open311-request",
        "404 ok 404 404 404 404 404 404 404 404",
        "405 405 405 405 405 405 405 405 405 405",
        [
            "api-v1:track",
            "open311-request",
        ],
    ),
    (
        "api-v1",
        "405 405 405 405 405 405 405 405 405 405",
        "401 401 403 404 403 ok 401 ok 401 ok",
        [
            "api-v1:approve_extension",
        ],
    ),
    (
        "api-v1",
        "405 405 405 405 405 405 405 405 405 405",
        "401 401 403 404 403 409 401 409 401 409",
        [
            "api-v1:dispatch",
            "api-v1:reopen",
        ],
    ),
    (
        "api-v1",
        "405 405 405 405 405 405 405 405 405 405",
        "401 401 409 404 409 403 401 403 401 409",
        [
            "api-v1:accept",
            "api-v1:extend",
        ],
    ),
    (
        "api-v1",
        "405 405 405 405 405 405 405 405 405 405",
        "401 401 ok 404 ok 403 401 403 401 ok",
        [
            "api-v1:reply",
            "api-v1:return_",
        ],
    ),
    (
        "ledgers, publicity",
        "405 405 405 405 405 405 405 405 405 405",
        "404 404 404 404 404 404 404 404 404 404",
        [
            "ledgers:rate",
            "publicity:object",
        ],
    ),
    (
        "api-v1",
        "405 405 405 405 405 405 405 405 405 405",
        "404 409 404 404 404 404 404 404 404 404",
        [
            "api-v1:rate",
        ],
    ),
    (
        "admin/reports/site-history/, admin/reports/site-history/results/, "
        "wagtailadmin_reports",
        "login login 403 403 403 403 403 403 403 ok",
        "login login 403 403 403 403 403 403 403 405",
        [
            "admin/reports/site-history/",
            "admin/reports/site-history/results/",
            "wagtailadmin_reports:site_history",
            "wagtailadmin_reports:site_history_results",
        ],
    ),
    (
        "audit_search, demands_office",
        "login login 403 403 403 ok 403 ok 403 ok",
        "login login 403 403 403 ok 403 ok 403 ok",
        [
            "audit_search",
            "demands_office:intake",
        ],
    ),
    (
        "demands_calendar",
        "login login 403 403 403 403 403 ok 403 ok",
        "login login 403 403 403 403 403 ok 403 ok",
        [
            "demands_calendar:notice",
        ],
    ),
    (
        "demands_office",
        "login login 403 403 403 ok 403 ok 403 ok",
        "login login 403 403 403 405 403 405 403 405",
        [
            "demands_office:intake_done",
        ],
    ),
    (
        "dashboard, demands_metrics",
        "login login 403 403 403 ok 403 ok ok ok",
        "login login 403 403 403 405 403 405 405 405",
        [
            "dashboard:cockpit",
            "dashboard:weekly_report",
            "demands_metrics:export",
            "demands_metrics:index",
        ],
    ),
    (
        "dashboard: a hotspot, read by the office and the leading group",
        "login login 403 403 403 ok 403 ok ok ok",
        "login login 403 403 403 405 403 405 405 405",
        [
            "dashboard:hotspot",
        ],
    ),
    (
        "dashboard: the office's one step from a hotspot",
        "login login 403 403 403 405 403 405 405 405",
        "login login 403 403 403 invalid 403 invalid 403 invalid",
        [
            "dashboard:hotspot_deed",
            "dashboard:hotspot_problem",
        ],
    ),
    (
        "dashboard, evaluation_admin",
        "login login 403 403 403 ok 403 ok ok ok",
        "login login 405 405 405 405 405 405 405 405",
        [
            "dashboard:phase_report",
            "evaluation_admin:index",
        ],
    ),
    (
        "publicity_briefings",
        "login login 403 403 403 403 ok ok 403 ok",
        "login login 403 403 403 403 405 405 403 405",
        [
            "publicity_briefings:index",
        ],
    ),
    (
        "publicity_admin",
        "login login 404 404 404 404 404 404 404 404",
        "login login 405 405 405 405 405 405 405 405",
        [
            "publicity_admin:article_file",
        ],
    ),
    (
        "publicity_admin",
        "login login 403 403 403 403 ok 403 403 ok",
        "login login 403 403 403 403 ok 403 403 ok",
        [
            "publicity_admin:review",
            "publicity_admin:review_queue",
        ],
    ),
    (
        "publicity_admin",
        "login login 403 403 403 ok ok ok 403 ok",
        "login login 403 403 403 ok ok ok 403 ok",
        [
            "publicity_admin:stats",
            "publicity_admin:stats_export",
        ],
    ),
    (
        "publicity_briefings",
        "login login 403 403 403 403 ok ok 403 ok",
        "login login 403 403 403 403 ok ok 403 ok",
        [
            "publicity_briefings:edit",
            "publicity_briefings:new",
        ],
    ),
    (
        "body, membership, position, workday_override",
        "login login 404 404 404 404 404 ok 404 ok",
        "login login 404 404 404 404 404 moved 404 moved",
        [
            "body:delete",
            "membership:delete",
            "position:delete",
            "workday_override:delete",
        ],
    ),
    (
        "campaign, organisation",
        "login login 404 404 404 404 404 home 404 ok",
        "login login 404 404 404 404 404 home 404 moved",
        [
            "campaign:delete",
            "organisation:delete",
        ],
    ),
    (
        "campaign_plans",
        "login login 404 404 404 ok 404 ok 404 ok",
        "login login 404 404 404 ok 404 ok 404 ok",
        [
            "campaign_plans:measures_xlsx",
            "campaign_plans:schedule_xlsx",
        ],
    ),
    (
        "deadline_rule, decision, demand_category, indicator_set, inspection_round, "
        "maintask, meeting, milestone, phase, requirement, responsibility, survey",
        "login login 404 404 404 ok 404 ok 404 ok",
        "login login 404 404 404 moved 404 moved 404 moved",
        [
            "deadline_rule:delete",
            "decision:delete",
            "demand_area:delete",
            "demand_category:delete",
            "indicator_set:delete",
            "inspection_round:delete",
            "maintask:delete",
            "meeting:delete",
            "milestone:delete",
            "phase:delete",
            "requirement:delete",
            "responsibility:delete",
            "survey:delete",
        ],
    ),
    (
        "demands_followup",
        "login login 404 404 404 moved 404 moved 404 moved",
        "login login 404 404 404 moved 404 moved 404 moved",
        [
            "demands_followup:record_visit",
        ],
    ),
    (
        "evaluation_admin",
        "login login 404 404 404 ok 404 404 404 ok",
        "login login 404 404 404 404 404 404 404 404",
        [
            "evaluation_admin:score_unit",
        ],
    ),
    (
        "indicator, survey_question",
        "login login 404 404 404 404 404 404 404 404",
        "login login 404 404 404 404 404 404 404 404",
        [
            "indicator:delete",
            "survey_question:delete",
        ],
    ),
    (
        "workday_override",
        "login login 404 404 404 404 404 ok 404 ok",
        "login login 404 404 404 404 404 405 404 405",
        [
            "workday_override:history",
            "workday_override:history_results",
            "workday_override:inspect",
            "workday_override:usage",
        ],
    ),
    (
        "campaign_plans",
        "login login 404 404 404 ok 404 ok 404 ok",
        "login login 405 405 405 405 405 405 405 405",
        [
            "campaign_plans:not_submitted",
        ],
    ),
    (
        "deadline_rule, demand_category, indicator, indicator_set, inspection_round, "
        "milestone, survey, survey_question",
        "login login 404 404 404 ok 404 ok home ok",
        "login login 404 404 404 405 404 405 home 405",
        [
            "deadline_rule:history",
            "deadline_rule:history_results",
            "deadline_rule:usage",
            "demand_area:history",
            "demand_category:history",
            "demand_area:history_results",
            "demand_category:history_results",
            "demand_area:usage",
            "demand_category:usage",
            "indicator:history",
            "indicator:history_results",
            "indicator:usage",
            "indicator_set:history",
            "indicator_set:history_results",
            "indicator_set:usage",
            "inspection_round:history",
            "inspection_round:history_results",
            "inspection_round:usage",
            "milestone:history",
            "milestone:history_results",
            "milestone:usage",
            "survey:history",
            "survey:history_results",
            "survey:usage",
            "survey_question:history",
            "survey_question:history_results",
            "survey_question:usage",
        ],
    ),
    (
        "evaluation_admin",
        "login login 404 404 404 moved 404 moved moved moved",
        "login login 405 405 405 405 405 405 405 405",
        [
            "evaluation_admin:circular",
        ],
    ),
    (
        "campaign_plans",
        "login login 404 404 404 ok 404 ok ok ok",
        "login login 404 404 404 moved 404 moved 403 moved",
        [
            "campaign_plans:work_plan_version_step",
        ],
    ),
    (
        "campaign_plans",
        "login login 404 404 404 ok 404 ok ok ok",
        "login login 404 404 404 404 404 404 404 404",
        [
            "campaign_plans:work_plan",
            "campaign_plans:work_plan_version",
        ],
    ),
    (
        "campaign_plans",
        "login login 404 404 404 ok 404 ok ok ok",
        "login login 405 405 405 405 405 405 405 405",
        [
            "campaign_plans:work_plan_attachment",
        ],
    ),
    (
        "deadline_rule, demand_category, milestone",
        "login login 404 404 404 ok 404 ok ok ok",
        "login login 404 404 404 405 404 405 405 405",
        [
            "deadline_rule:inspect",
            "demand_area:inspect",
            "demand_category:inspect",
            "milestone:inspect",
        ],
    ),
    (
        "campaign_plans",
        "login login 404 404 404 ok 404 ok ok ok",
        "login login 404 404 404 invalid 404 invalid invalid invalid",
        [
            "campaign_plans:work_plan_step",
        ],
    ),
    (
        "evaluation_admin",
        "login login 404 404 404 ok 404 ok ok ok",
        "login login 404 404 404 ok 404 ok ok ok",
        [
            "evaluation_admin:evidence",
        ],
    ),
    (
        "evaluation_admin",
        "login login 404 404 404 ok 404 ok ok ok",
        "login login 405 405 405 405 405 405 405 405",
        [
            "evaluation_admin:ranking",
            "evaluation_admin:ranking_export",
            "evaluation_admin:round",
            "evaluation_admin:set",
            "evaluation_admin:survey",
        ],
    ),
    (
        "evaluation_admin",
        "login login ok 404 ok ok 404 ok ok ok",
        "login login 405 405 405 405 405 405 405 405",
        [
            "evaluation_admin:sheet",
        ],
    ),
    (
        "sensitive_word",
        "login login 404 404 404 ok ok ok 404 ok",
        "login login 404 404 404 405 405 405 404 405",
        [
            "sensitive_word:history",
            "sensitive_word:history_results",
            "sensitive_word:usage",
        ],
    ),
    (
        "sensitive_word",
        "login login 404 404 404 ok ok ok 404 ok",
        "login login 404 404 404 moved moved moved 404 moved",
        [
            "sensitive_word:delete",
        ],
    ),
    (
        "ledgers_admin",
        "login login 405 405 405 405 403 405 405 405",
        "login login 403 404 403 moved 403 moved 403 moved",
        [
            "ledgers_admin:deed_publish",
            "ledgers_admin:deed_verify",
            "ledgers_admin:publish",
            "ledgers_admin:verify",
        ],
    ),
    (
        "demands_office, ledgers_admin",
        "login login 405 405 405 405 403 405 405 405",
        "login login moved 404 moved 403 403 403 403 moved",
        [
            "demands_office:accept",
            "ledgers_admin:apply",
        ],
    ),
    (
        "ledgers_admin (a refused measure: the problem page again, as typed)",
        "login login 405 405 405 405 403 405 405 405",
        "login login invalid 404 invalid invalid 403 invalid invalid invalid",
        [
            "ledgers_admin:add_measure",
        ],
    ),
    (
        "ledgers_admin",
        "login login 405 405 405 405 403 405 405 405",
        "login login moved 404 moved moved 403 moved moved moved",
        [
            "ledgers_admin:confirm",
            "ledgers_admin:deed_progress",
            "ledgers_admin:deed_return",
            "ledgers_admin:finding_demand",
            "ledgers_admin:finding_problem",
            "ledgers_admin:progress",
            "ledgers_admin:recheck_answer",
            "ledgers_admin:recheck_decide",
            "ledgers_admin:return",
        ],
    ),
    (
        "demands_office",
        "login login 405 405 405 405 403 405 405 405",
        "login login ok 404 ok 403 403 403 403 ok",
        [
            "demands_office:extend",
            "demands_office:reply",
            "demands_office:return",
        ],
    ),
    (
        "demands_office",
        "login login 405 405 405 405 403 405 405 405",
        "login login 403 404 403 ok 403 ok 403 ok",
        [
            "demands_office:decide_extension",
            "demands_office:dispatch",
            "demands_office:merge",
            "demands_office:reassign",
            "demands_office:recall",
            "demands_office:split",
            "demands_office:supervise",
        ],
    ),
    (
        "publicity_admin",
        "login login 405 405 405 405 405 405 405 405",
        "login login 403 403 403 403 403 403 403 403",
        [
            "publicity_admin:nominate",
        ],
    ),
    (
        "jobs_start",
        "login login 405 405 405 405 405 405 405 405",
        "login login 403 403 403 moved moved moved 403 moved",
        [
            "jobs_start",
        ],
    ),
    (
        "publicity_admin",
        "login login 405 405 405 405 405 405 405 405",
        "login login 403 404 403 404 moved moved moved moved",
        [
            "publicity_admin:award",
            "publicity_admin:close_vote",
            "publicity_admin:notice",
        ],
    ),
    (
        "publicity_admin: a ballot on a nomination, the leading group's",
        "login login 405 405 405 405 405 405 405 405",
        "login login 403 404 403 404 403 403 moved moved",
        [
            "publicity_admin:vote",
        ],
    ),
    (
        "publicity_admin: a nomination's page, its deeds and ballots",
        "login login ok 404 ok 404 ok ok ok ok",
        "login login 405 405 405 405 405 405 405 405",
        [
            "publicity_admin:model",
        ],
    ),
    (
        "publicity_admin: answering an objection, the publicity group's and the "
        "office directors'",
        "login login 405 405 405 405 405 405 405 405",
        "login login 403 404 403 404 moved moved 403 moved",
        [
            "publicity_admin:answer_objection",
        ],
    ),
    (
        "publicity_admin: an advanced model's objections, for the voting bodies",
        "login login 403 404 403 404 ok ok ok ok",
        "login login 405 405 405 405 405 405 405 405",
        [
            "publicity_admin:objections",
        ],
    ),
    (
        "evaluation_admin",
        "login login 405 405 405 405 405 405 405 405",
        "login login 404 404 404 404 404 404 404 404",
        [
            "evaluation_admin:answer",
        ],
    ),
    (
        "evaluation_admin",
        "login login 405 405 405 405 405 405 405 405",
        "login login 404 404 404 moved 404 moved 404 moved",
        [
            "evaluation_admin:in_force",
            "evaluation_admin:publish",
            "evaluation_admin:survey_close",
            "evaluation_admin:survey_open",
            "evaluation_admin:tokens",
        ],
    ),
    (
        "publicity_admin",
        "login login 405 405 405 405 405 405 405 405",
        "login login 404 404 404 404 moved 404 404 moved",
        [
            "publicity_admin:approve",
            "publicity_admin:dismiss",
            "publicity_admin:reject",
        ],
    ),
    (
        "publicity_briefings",
        "login login 405 405 405 405 405 405 405 405",
        "login login 404 404 404 404 moved moved 404 moved",
        [
            "publicity_briefings:publish",
        ],
    ),
    (
        "campaign_plans",
        "login login 405 405 405 405 405 405 405 405",
        "login login invalid 404 invalid invalid 404 invalid 403 invalid",
        [
            "campaign_plans:action_item_done",
        ],
    ),
    (
        "two_step_off",
        "login login 405 405 405 405 405 405 405 405",
        "login login invalid invalid invalid invalid invalid invalid invalid invalid",
        [
            "two_step_off",
        ],
    ),
    (
        "campaign_plans",
        "login login 405 405 405 405 405 405 405 405",
        "login login moved 403 moved moved 403 moved 403 moved",
        [
            "campaign_plans:milestone_done",
        ],
    ),
    (
        "jobs_retry",
        "login login 405 405 405 405 405 405 405 405",
        "login login moved 404 404 404 404 404 404 404",
        [
            "jobs_retry",
        ],
    ),
    (
        "campaign_plans",
        "login login 405 405 405 405 405 405 405 405",
        "login login moved 404 moved 404 404 404 404 404",
        [
            "campaign_plans:start_unit_plan",
        ],
    ),
    (
        "unit",
        "login login 404 404 404 404 404 ok 404 ok",
        "login login 404 404 404 404 404 moved 404 moved",
        [
            "unit:delete",
        ],
    ),
    (
        "decision, responsibility",
        "login login home 404 home ok 404 ok home ok",
        "login login home 404 home 405 404 405 home 405",
        [
            "decision:history",
            "decision:history_results",
            "decision:usage",
            "responsibility:history",
            "responsibility:history_results",
            "responsibility:usage",
        ],
    ),
    (
        "membership",
        "login login home 404 home home home ok home ok",
        "login login home 404 home home home 405 home 405",
        [
            "membership:history",
            "membership:history_results",
            "membership:usage",
        ],
    ),
    (
        "demands_followup",
        "login login home home home ok home ok home ok",
        "login login 405 405 405 405 405 405 405 405",
        [
            "demands_followup:supervision",
            "demands_followup:visits",
        ],
    ),
    (
        "body, campaign, membership, position, unit, workday_override",
        "login login home home home home home ok home ok",
        "login login home home home home home ok home ok",
        [
            "body:add",
            "body:copy",
            "body:edit",
            "campaign:edit",
            "membership:add",
            "membership:copy",
            "membership:edit",
            "position:add",
            "position:copy",
            "position:edit",
            "unit:add",
            "unit:copy",
            "workday_override:add",
            "workday_override:copy",
            "workday_override:edit",
        ],
    ),
    (
        "body, campaign, position, workday_override",
        "login login home home home home home ok home ok",
        "login login home home home home home 405 home 405",
        [
            "body:history",
            "body:history_results",
            "body:usage",
            "campaign:history",
            "campaign:history_results",
            "campaign:usage",
            "position:history",
            "position:history_results",
            "position:usage",
            "workday_override:index",
            "workday_override:index_results",
        ],
    ),
    (
        "campaign (the office director starts the next one)",
        "login login home home home home home ok home ok",
        "login login home home home home home ok home ok",
        [
            "campaign:add",
            "campaign:copy",
        ],
    ),
    (
        "organisation, wagtailusers_users",
        "login login home home home home home home home ok",
        "login login home home home home home home home ok",
        [
            "organisation:add",
            "organisation:copy",
            "organisation:edit",
            "wagtailusers_users:add",
            "wagtailusers_users:copy",
            "wagtailusers_users:edit",
        ],
    ),
    (
        "deadline_rule, decision, demand_category, indicator, indicator_set, "
        "inspection_round, maintask, meeting, milestone, phase, requirement, "
        "responsibility, survey, survey_question",
        "login login home home home ok home ok home ok",
        "login login home home home ok home ok home ok",
        [
            "deadline_rule:add",
            "deadline_rule:copy",
            "deadline_rule:edit",
            "decision:add",
            "decision:copy",
            "decision:edit",
            "demand_area:add",
            "demand_category:add",
            "demand_area:copy",
            "demand_category:copy",
            "demand_area:edit",
            "demand_category:edit",
            "indicator:add",
            "indicator:copy",
            "indicator_set:add",
            "indicator_set:copy",
            "indicator_set:edit",
            "inspection_round:add",
            "inspection_round:copy",
            "inspection_round:edit",
            "maintask:add",
            "maintask:copy",
            "maintask:edit",
            "meeting:add",
            "meeting:copy",
            "meeting:edit",
            "milestone:add",
            "milestone:copy",
            "milestone:edit",
            "phase:add",
            "phase:copy",
            "phase:edit",
            "requirement:add",
            "requirement:copy",
            "requirement:edit",
            "responsibility:add",
            "responsibility:copy",
            "responsibility:edit",
            "survey:add",
            "survey:copy",
            "survey:edit",
            "survey_question:add",
            "survey_question:copy",
        ],
    ),
    (
        "indicator, survey_question",
        "login login home home home 404 home 404 home 404",
        "login login home home home 404 home 404 home 404",
        [
            "indicator:edit",
            "survey_question:edit",
        ],
    ),
    (
        "maintask, meeting, phase, requirement",
        "login login home home home ok home ok home ok",
        "login login home home home 405 home 405 home 405",
        [
            "maintask:history",
            "maintask:history_results",
            "maintask:usage",
            "meeting:history",
            "meeting:history_results",
            "meeting:usage",
            "phase:history",
            "phase:history_results",
            "phase:usage",
            "requirement:history",
            "requirement:history_results",
            "requirement:usage",
        ],
    ),
    (
        "organisation, wagtailusers_users",
        "login login home home home home home home home ok",
        "login login home home home home home home home 405",
        [
            "organisation:history",
            "organisation:history_results",
            "organisation:usage",
            "wagtailusers_users:history",
            "wagtailusers_users:history_results",
            "wagtailusers_users:index",
            "wagtailusers_users:index_results",
            "wagtailusers_users:usage",
        ],
    ),
    (
        "two_step_verify",
        "login login home home home home home home home home",
        "login login home home home home home home home home",
        [
            "two_step_verify",
        ],
    ),
    (
        "wagtailusers_users",
        "login login home home home home home home home ok",
        "login login home home home home home home home moved",
        [
            "wagtailusers_users:delete",
        ],
    ),
    (
        "deadline_rule, demand_category, indicator, indicator_set, inspection_round, "
        "milestone, survey, survey_question",
        "login login home home home ok home ok ok ok",
        "login login home home home 405 home 405 405 405",
        [
            "deadline_rule:index",
            "deadline_rule:index_results",
            "demand_area:index",
            "demand_category:index",
            "demand_area:index_results",
            "demand_category:index_results",
            "indicator:index",
            "indicator:index_results",
            "indicator_set:index",
            "indicator_set:index_results",
            "inspection_round:index",
            "inspection_round:index_results",
            "milestone:index",
            "milestone:index_results",
            "survey:index",
            "survey:index_results",
            "survey_question:index",
            "survey_question:index_results",
        ],
    ),
    (
        "sensitive_word",
        "login login home home home ok ok ok home ok",
        "login login home home home 405 405 405 home 405",
        [
            "sensitive_word:index",
            "sensitive_word:index_results",
        ],
    ),
    (
        "sensitive_word",
        "login login home home home ok ok ok home ok",
        "login login home home home ok ok ok home ok",
        [
            "sensitive_word:add",
            "sensitive_word:copy",
            "sensitive_word:edit",
        ],
    ),
    (
        "body, campaign, maintask, meeting, organisation, phase, position, requirement",
        "login login home home home ok ok ok ok ok",
        "login login home home home 405 405 405 405 405",
        [
            "body:index",
            "body:index_results",
            "body:inspect",
            "campaign:index",
            "campaign:index_results",
            "campaign:inspect",
            "maintask:index",
            "maintask:index_results",
            "maintask:inspect",
            "meeting:index",
            "meeting:index_results",
            "meeting:inspect",
            "organisation:index",
            "organisation:index_results",
            "organisation:inspect",
            "phase:index",
            "phase:index_results",
            "phase:inspect",
            "position:index",
            "position:index_results",
            "position:inspect",
            "requirement:index",
            "requirement:index_results",
            "requirement:inspect",
        ],
    ),
    (
        "notify_open",
        "login login moved 404 404 404 404 404 404 404",
        "login login moved 404 404 404 404 404 404 404",
        [
            "notify_open",
        ],
    ),
    (
        "jobs_status",
        "login login ok 404 404 404 404 404 404 404",
        "login login 405 405 405 405 405 405 405 405",
        [
            "jobs_status",
        ],
    ),
    (
        "api_tokens",
        "login login ok 404 404 ok 404 ok 404 ok",
        "login login 405 404 404 405 404 405 404 405",
        [
            "api_tokens:history",
            "api_tokens:history_results",
            "api_tokens:usage",
        ],
    ),
    (
        "api_tokens",
        "login login ok 404 404 ok 404 ok 404 ok",
        "login login moved 404 404 moved 404 moved 404 moved",
        [
            "api_tokens:delete",
        ],
    ),
    (
        "api_tokens",
        "login login ok 404 404 404 home 404 home ok",
        "login login ok 404 404 404 home 404 home ok",
        [
            "api_tokens:edit",
        ],
    ),
    (
        "jobs_download",
        "login login ok 404 404 ok 404 ok 404 404",
        "login login 405 405 405 405 405 405 405 405",
        [
            "jobs_download",
        ],
    ),
    (
        "demands_office, ledgers_admin",
        "login login ok 404 ok ok 403 ok ok ok",
        "login login 405 405 405 405 403 405 405 405",
        [
            "demands_office:detail",
            "ledgers_admin:deed",
            "ledgers_admin:deed_photo",
            "ledgers_admin:evidence",
            "ledgers_admin:look_back",
            "ledgers_admin:problem",
            "ledgers_admin:visit",
        ],
    ),
    (
        "publicity_admin",
        "login login ok 404 ok 404 404 404 404 404",
        "login login 403 404 403 404 404 404 404 404",
        [
            "publicity_admin:submission",
        ],
    ),
    (
        "campaign_plans",
        "login login ok 404 ok ok 404 ok ok ok",
        "login login 404 404 404 404 404 404 404 404",
        [
            "campaign_plans:unit_plan",
        ],
    ),
    (
        "decision, responsibility",
        "login login ok 404 ok ok 404 ok ok ok",
        "login login 405 404 405 405 404 405 405 405",
        [
            "decision:inspect",
            "responsibility:inspect",
        ],
    ),
    (
        "campaign_plans",
        "login login ok 404 ok ok 404 ok ok ok",
        "login login invalid 404 invalid 403 404 403 403 invalid",
        [
            "campaign_plans:unit_plan_step",
        ],
    ),
    (
        "demands_followup, demands_office",
        "login login ok 404 ok ok 404 ok ok ok",
        "login login ok 404 ok ok 404 ok ok ok",
        [
            "demands_followup:download",
            "demands_office:attachment",
        ],
    ),
    (
        "unit",
        "login login home 404 home home home ok home ok",
        "login login home 404 home home home 405 home 405",
        [
            "unit:history",
            "unit:history_results",
            "unit:usage",
        ],
    ),
    (
        "unit",
        "login login home home home home home ok home ok",
        "login login home home home home home ok home ok",
        [
            "unit:edit",
        ],
    ),
    (
        "membership, unit",
        "login login ok 404 ok ok ok ok ok ok",
        "login login 405 404 405 405 405 405 405 405",
        [
            "membership:inspect",
            "unit:inspect",
        ],
    ),
    (
        "evaluation_admin",
        "login login ok ok ok 403 403 403 403 ok",
        "login login 405 405 405 405 405 405 405 405",
        [
            "evaluation_admin:my_scores",
        ],
    ),
    (
        "ledgers_admin",
        "login login ok ok ok 403 403 403 403 ok",
        "login login ok ok ok 403 403 403 403 ok",
        [
            "ledgers_admin:deeds_add",
            "ledgers_admin:problems_add",
            "ledgers_admin:visits_add",
        ],
    ),
    (
        "publicity_admin",
        "login login ok ok ok 403 403 403 403 403",
        "login login ok ok ok 403 403 403 403 403",
        [
            "publicity_admin:new_submission",
            "publicity_admin:submissions",
        ],
    ),
    (
        "ledgers_admin",
        "login login ok ok ok ok 403 ok ok ok",
        "login login 404 404 404 404 403 404 404 404",
        [
            "ledgers_admin:import",
        ],
    ),
    (
        "ledgers_admin",
        "login login ok 404 404 404 403 404 404 404",
        "login login 405 405 405 405 403 405 405 405",
        [
            "ledgers_admin:import_job",
        ],
    ),
    (
        "ledgers_admin",
        "login login 405 405 405 405 403 405 405 405",
        "login login moved 404 404 404 403 404 404 404",
        [
            "ledgers_admin:import_confirm",
        ],
    ),
    (
        "demands_office, ledgers_admin",
        "login login ok ok ok ok 403 ok ok ok",
        "login login 405 405 405 405 403 405 405 405",
        [
            "demands_office:index",
            "ledgers_admin:deeds",
            "ledgers_admin:problems",
            "ledgers_admin:template",
            "ledgers_admin:visits",
        ],
    ),
    (
        "ledgers_admin",
        "login login ok ok ok ok 403 ok ok ok",
        "login login ok ok ok ok 403 ok ok ok",
        [
            "ledgers_admin:look_backs",
        ],
    ),
    (
        "decision, responsibility",
        "login login ok ok ok ok home ok ok ok",
        "login login 405 405 405 405 home 405 405 405",
        [
            "decision:index",
            "decision:index_results",
            "responsibility:index",
            "responsibility:index_results",
        ],
    ),
    (
        "api_tokens",
        "login login ok ok ok ok home ok home ok",
        "login login 405 405 405 405 home 405 home 405",
        [
            "api_tokens:index",
            "api_tokens:index_results",
        ],
    ),
    (
        "campaign_plans, demands_followup, jobs_list, membership, unit",
        "login login ok ok ok ok ok ok ok ok",
        "login login 405 405 405 405 405 405 405 405",
        [
            "campaign_plans:action_items",
            "campaign_plans:index",
            "campaign_plans:timeline",
            "demands_followup:notices",
            "jobs_list",
            "membership:index",
            "membership:index_results",
            "unit:index",
            "unit:index_results",
        ],
    ),
    (
        "notify_inbox",
        "login login ok ok ok ok ok ok ok ok",
        "login login moved moved moved moved moved moved moved moved",
        [
            "notify_inbox",
        ],
    ),
    (
        "api_tokens",
        "login login ok ok ok ok home ok home ok",
        "login login ok ok ok ok home ok home ok",
        [
            "api_tokens:add",
        ],
    ),
    (
        "campaign_plans, two_step_setup",
        "login login ok ok ok ok ok ok ok ok",
        "login login ok ok ok ok ok ok ok ok",
        [
            "campaign_plans:timeline_ics",
            "two_step_setup",
        ],
    ),
    (
        "publicity_admin",
        "login login ok ok ok 403 ok ok ok ok",
        "login login ok ok ok 403 ok ok ok ok",
        [
            "publicity_admin:models",
        ],
    ),
    (
        "demands, demands/",
        "moved moved moved moved moved moved moved moved moved moved",
        "moved moved moved moved moved moved moved moved moved moved",
        [
            "demands/",
            "demands:choose_campaign",
        ],
    ),
    (
        "demands",
        "moved ok moved moved moved moved moved moved moved moved",
        "405 405 405 405 405 405 405 405 405 405",
        [
            "demands:my_data",
        ],
    ),
    (
        "demands",
        "moved ok moved moved moved moved moved moved moved moved",
        "moved ok moved moved moved moved moved moved moved moved",
        [
            "demands:status",
        ],
    ),
    (
        "open311-requests",
        "ok ok ok ok ok ok ok ok ok ok",
        "403 403 403 403 403 403 403 403 403 403",
        [
            "open311-requests",
        ],
    ),
    (
        "open311-discovery, open311-service, open311-services, open311-token; the "
        "API's root (api-v1-root, which answers for Ninja's api-root)",
        "ok ok ok ok ok ok ok ok ok ok",
        "405 405 405 405 405 405 405 405 405 405",
        [
            "api-v1-root",
            "api-v1:api-root",
            "open311-discovery",
            "open311-service",
            "open311-services",
            "open311-token",
        ],
    ),
    (
        "demands: the tracked demand's own files",
        "404 ok 404 404 404 404 404 404 404 404",
        "405 405 405 405 405 405 405 405 405 405",
        [
            "demands:tracked_attachment",
        ],
    ),
    (
        "robots.txt and the sitemap",
        "ok ok ok ok ok ok ok ok ok ok",
        "405 405 405 405 405 405 405 405 405 405",
        [
            "robots_txt",
            "sitemap",
        ],
    ),
    (
        "evaluation",
        "ok ok ok ok ok ok ok ok ok ok",
        "invalid invalid invalid invalid invalid invalid invalid invalid invalid "
        "invalid",
        [
            "evaluation:survey",
        ],
    ),
    (
        "sanfu: the 长辈模式 switch, a form's target that goes back to its page",
        "405 405 405 405 405 405 405 405 405 405",
        "moved moved moved moved moved moved moved moved moved moved",
        [
            "set_display_mode",
        ],
    ),
    (
        "api-v1, demands, ledgers, publicity",
        "ok ok ok ok ok ok ok ok ok ok",
        "ok ok ok ok ok ok ok ok ok ok",
        [
            "api-v1:openapi-json",
            "api-v1:openapi-view",
            "demands:figures",
            "demands:replied",
            "demands:submit",
            "demands:thanks",
            "demands:track",
            "ledgers:deeds",
            "ledgers:disclosure",
            "publicity:briefing_list",
            "publicity:category_feed",
            "publicity:feed",
            "publicity:search",
            "publicity:site_feed",
        ],
    ),
]

UNWALKED: frozenset[str] = frozenset()

MATRIX: dict[str, Row] = {}
for _what, _get, _post, _names in GROUPS:
    for _name in _names:
        assert _name not in MATRIX, _name
        MATRIX[_name] = Row(_answers(_get), _answers(_post))

# Wagtail's and Django's own URLs, by prefix: (prefix, answer to someone not signed
# in, answer to unit A's liaison or None when not asked, reason). "refused" is any
# refusal. Checked for the URLs without parameters.
ADMIN_UI = "Wagtail's admin furniture, shown to anyone with admin access"
STAFF_ONLY = "Wagtail's own management, granted to no Sanfu role (superusers only)"
PREFIX_RULES: list[tuple[str, str | None, str | None, str]] = [
    ("admin/login/", "ok", None, "the sign-in page"),
    ("admin/password_reset/", None, None, "password reset by e-mail: public by nature"),
    ("admin/logout/", None, None, "signing out"),
    ("admin/jsi18n/", None, None, "the admin's JavaScript catalogue"),
    ("admin/sprite/", None, None, "the admin's icons"),
    ("admin/test404/", None, None, "Wagtail's 404 preview"),
    ("admin/failwhale/", None, None, "Wagtail's 500 preview"),
    ("admin/account/", "login", "ok", "each person's own account settings"),
    ("admin/dismissibles/", "login", None, ADMIN_UI),
    ("admin/editing-sessions/", "login", None, ADMIN_UI),
    ("admin/block-preview/", "login", None, ADMIN_UI),
    # pages only those the person may view (publicity/tests/test_admin_page_listings)
    ("admin/choose-", "login", None, ADMIN_UI + ": link and page choosers"),
    ("admin/tag-autocomplete/", "login", None, ADMIN_UI),
    ("admin/api/", "login", None, "the admin's page API, per page permissions"),
    # pages only those the person may view (publicity/tests/test_admin_page_listings)
    ("admin/bulk/", "login", None, "bulk actions, per model permissions"),
    ("admin/pages/", "login", None, "the page tree, per page permissions"),
    ("admin/embeds/", "login", None, ADMIN_UI),
    ("admin/snippets/", "login", None, "the snippet index: lists only allowed models"),
    # the editors' choosers list only what the person may choose (nothing, for a
    # role without image, document or workflow permissions)
    ("admin/images/chooser/", "login", None, ADMIN_UI + ": a chooser"),
    ("admin/documents/chooser/", "login", None, ADMIN_UI + ": a chooser"),
    ("admin/workflows/task_chooser/", "login", None, ADMIN_UI + ": a chooser"),
    ("admin/images/", "login", "refused", STAFF_ONLY),
    ("admin/documents/", "login", "refused", STAFF_ONLY),
    ("admin/collections/", "login", "refused", STAFF_ONLY),
    ("admin/workflows/", "login", "refused", STAFF_ONLY),
    ("admin/redirects/", "login", "refused", STAFF_ONLY),
    ("admin/settings/", "login", None, STAFF_ONLY),
    ("admin/sites/", "login", "refused", STAFF_ONLY),
    ("admin/groups/", "login", "refused", STAFF_ONLY),
    ("admin/forms/", "login", None, "form pages' submissions, per page permissions"),
    ("admin/reports/", "login", None, "Wagtail's page reports, per page permissions"),
    ("admin/^", None, None, "Wagtail's catch-all for the admin's unknown paths"),
    ("documents/", None, None, "Wagtail documents: served per collection privacy"),
    ("_util/", None, None, "password-protected pages: the password form"),
    ("i18n/setlang/", None, None, "choosing the language"),
    ("^media/", None, None, "public images in development (DEBUG only)"),
    ("^((?:", None, None, "the public page tree: live pages only"),
]
# The dashboard itself, matched exactly (a rule for "admin/" would class every new
# admin screen).
EXACT_RULES: dict[str, tuple[str | None, str | None, str]] = {
    "admin/": ("login", "ok", "the admin dashboard, for anyone with admin access"),
}
