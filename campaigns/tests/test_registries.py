"""The role grants and the audit action names are registered by the apps that own
them: the registries in campaigns and audit import none of those apps."""

import ast
from pathlib import Path

from audit.actions import ACTIONS
from campaigns.roles import ROLE_PERMISSIONS, CampaignRole
from org.models import UnitRole

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = {"api", "dashboard", "demands", "evaluation", "jobs", "ledgers"}
DOMAIN_APPS |= {"plans", "publicity"}


def _imported_apps(app: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                top = name.split(".")[0]
                if top in DOMAIN_APPS:
                    found.add((str(path.relative_to(ROOT)), name))
    return found


def test_campaigns_and_audit_import_no_domain_app() -> None:
    assert _imported_apps("campaigns") == set()
    assert _imported_apps("audit") == set()


def test_each_app_registers_its_grants() -> None:
    liaison = ROLE_PERMISSIONS[UnitRole.LIAISON]
    assert "ledgers.add_problem" in liaison  # ledgers.roles
    assert "plans.view_unitplan" in liaison  # plans.roles
    assert "demands.view_demand" in liaison  # the core grants
    office = ROLE_PERMISSIONS[CampaignRole.OFFICE_DIRECTOR]
    assert "evaluation.view_indicatorset" in office  # evaluation.roles
    assert any(perm.startswith("publicity.") for perm in office)  # publicity.roles


def test_each_app_registers_its_audit_actions() -> None:
    assert "sanfu.job.enqueue" in ACTIONS  # jobs.audit_actions
    assert "sanfu.research_visit.record" in ACTIONS  # ledgers.audit_actions
    assert "sanfu.inspection.score" in ACTIONS  # evaluation.audit_actions
    assert "sanfu.article.draft" in ACTIONS  # publicity.audit_actions
    assert "sanfu.unitplan.submit" in ACTIONS  # plans.audit_actions
    assert "sanfu.demand.submit" in ACTIONS  # the core's
