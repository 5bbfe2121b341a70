"""The back office's page listings show only pages the person may view
(``access.pages_for_user``): the page chooser's browse and search, the explorer and
the bulk actions' screens, which otherwise list the title of any page whose id is
asked for, a draft of another unit included."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from wagtail import hooks
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction
from wagtail.models import Page

from publicity.access import pages_for_user


def _viewable(pages: QuerySet[Page], request: HttpRequest) -> QuerySet[Page]:
    return pages.filter(pk__in=pages_for_user(request.user).values("pk"))


@hooks.register("construct_page_chooser_queryset")
def chooser_pages(pages: QuerySet[Page], request: HttpRequest) -> QuerySet[Page]:
    # Browsing shows the parent page's title too, and Wagtail offers no hook for
    # it: a parent out of reach is refused here, as if it did not exist.
    match = request.resolver_match
    parent_id = match.kwargs.get("parent_page_id") if match else None
    if parent_id is not None and not _viewable(
        Page.objects.filter(pk=parent_id), request
    ):
        raise Http404
    return _viewable(pages, request)


@hooks.register("construct_explorer_page_queryset")
def explorer_pages(
    parent: Page, pages: QuerySet[Page], request: HttpRequest
) -> QuerySet[Page]:
    return _viewable(pages, request)


class ViewablePagesOnly:
    """A page bulk action that neither lists nor touches a page out of reach, not
    even among those it refuses."""

    request: HttpRequest

    def get_actionable_objects(self) -> tuple[list[Any], dict[str, Any]]:
        objects, refused = super().get_actionable_objects()  # type: ignore[misc]
        asked = [page.pk for page in [*objects, *refused["items_with_no_access"]]]
        viewable = set(
            pages_for_user(self.request.user)
            .filter(pk__in=asked)
            .values_list("pk", flat=True)
        )
        return (
            [page for page in objects if page.pk in viewable],
            {
                "items_with_no_access": [
                    page
                    for page in refused["items_with_no_access"]
                    if page.pk in viewable
                ]
            },
        )


class ViewableDelete(ViewablePagesOnly, DeleteBulkAction):
    pass


class ViewableMove(ViewablePagesOnly, MoveBulkAction):
    pass


class ViewablePublish(ViewablePagesOnly, PublishBulkAction):
    pass


class ViewableUnpublish(ViewablePagesOnly, UnpublishBulkAction):
    pass


# after Wagtail's own (order 0): the registry keeps the last class per action
for _action in (ViewableDelete, ViewableMove, ViewablePublish, ViewableUnpublish):
    hooks.register("register_bulk_action", _action, order=1)
