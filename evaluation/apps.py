from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from audit.actions import register_actions
        from campaigns.copying import register
        from campaigns.roles import register_grants
        from evaluation import job_kinds  # noqa: F401  (registers the app's kinds of job)
        from evaluation.audit_actions import ACTIONS
        from evaluation.copying import copy_frame
        from evaluation.roles import GRANTS

        register_grants("evaluation", GRANTS)
        register_actions(ACTIONS)
        register(copy_frame)
