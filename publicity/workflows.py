"""What happens when a review workflow is approved.

Wagtail publishes the approved revision as the last approver, checking that
person's page permissions, which Wagtail reads from Django groups. Sanfu's
reviewers hold no such group: the publicity group's right to publish is their
position in the campaign, which ``PublicityReviewTask`` has already checked for
every approval. So a workflow made only of our tasks publishes without Wagtail's
group check; any other workflow keeps it.
"""

from typing import Any

from org.models import Person

# Wagtail imports this module while its own models load: nothing here may import
# models at module level.


def publish_workflow_state(workflow_state: Any, user: Person | None = None) -> None:
    from publicity.models import PublicityReviewTask

    tasks = workflow_state.workflow.tasks.specific()
    ours = bool(tasks) and all(isinstance(t, PublicityReviewTask) for t in tasks)
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=ours)
