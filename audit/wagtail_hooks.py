"""The project's own action names in Wagtail's audit log (one trail for everything)."""

from wagtail import hooks
from wagtail.log_actions import LogActionRegistry

from audit.actions import ACTIONS


@hooks.register("register_log_actions")
def register_sanfu_actions(actions: LogActionRegistry) -> None:
    for name, (label, message) in ACTIONS.items():
        actions.register_action(name, label, message)
