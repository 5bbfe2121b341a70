"""The ledgers' back-office screens, under /admin/ledgers/."""

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ledgers.views import admin as views
from ledgers.views import excel
from ledgers.views import lookback as look_back_views

_urls = [
    path("", views.ProblemListView.as_view(), name="problems"),
    path("visits/", views.VisitListView.as_view(), name="visits"),
    path("visits/add/", views.VisitAddView.as_view(), name="visits_add"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit"),
    path(
        "visits/<int:pk>/findings/<int:finding>/problem/",
        views.FindingToProblemView.as_view(),
        name="finding_problem",
    ),
    path(
        "visits/<int:pk>/findings/<int:finding>/demand/",
        views.FindingToDemandView.as_view(),
        name="finding_demand",
    ),
    path("problems/add/", views.ProblemAddView.as_view(), name="problems_add"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem"),
    path(
        "problems/<int:pk>/measures/",
        views.AddMeasureView.as_view(),
        name="add_measure",
    ),
    path(
        "problems/<int:pk>/measures/<int:measure>/progress/",
        views.ProgressView.as_view(),
        name="progress",
    ),
    path(
        "problems/<int:pk>/measures/<int:measure>/confirm/",
        views.ConfirmView.as_view(),
        name="confirm",
    ),
    path("problems/<int:pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("problems/<int:pk>/verify/", views.VerifyView.as_view(), name="verify"),
    path("problems/<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("problems/<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path(
        "problems/<int:pk>/evidence/<int:evidence>/",
        views.EvidenceView.as_view(),
        name="evidence",
    ),
    path("deeds/", views.DeedListView.as_view(), name="deeds"),
    path("deeds/add/", views.DeedAddView.as_view(), name="deeds_add"),
    path("deeds/<int:pk>/", views.DeedDetailView.as_view(), name="deed"),
    path(
        "deeds/<int:pk>/progress/",
        views.DeedProgressView.as_view(),
        name="deed_progress",
    ),
    path("deeds/<int:pk>/verify/", views.DeedVerifyView.as_view(), name="deed_verify"),
    path("deeds/<int:pk>/return/", views.DeedReturnView.as_view(), name="deed_return"),
    path(
        "deeds/<int:pk>/publish/", views.DeedPublishView.as_view(), name="deed_publish"
    ),
    path(
        "deeds/<int:pk>/photos/<int:photo>/",
        views.DeedPhotoView.as_view(),
        name="deed_photo",
    ),
    path("look-backs/", look_back_views.LookBackListView.as_view(), name="look_backs"),
    path(
        "look-backs/<int:pk>/",
        look_back_views.LookBackDetailView.as_view(),
        name="look_back",
    ),
    path(
        "look-backs/<int:pk>/items/<int:item>/answer/",
        look_back_views.RecheckAnswerView.as_view(),
        name="recheck_answer",
    ),
    path(
        "look-backs/<int:pk>/items/<int:item>/decide/",
        look_back_views.RecheckDecideView.as_view(),
        name="recheck_decide",
    ),
    path("template/<str:ledger>.xlsx", excel.TemplateView.as_view(), name="template"),
    path("import/", excel.ImportView.as_view(), name="import"),
    path("import/<int:pk>/", excel.ImportJobView.as_view(), name="import_job"),
    path(
        "import/<int:pk>/confirm/",
        excel.ConfirmImportView.as_view(),
        name="import_confirm",
    ),
]


@hooks.register("register_admin_urls")
def register_ledger_urls() -> list[Any]:
    return [path("ledgers/", include((_urls, "ledgers_admin")))]


class LedgersMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(views.VIEW_PERM)


@hooks.register("register_admin_menu_item")
def register_ledgers_menu_item() -> MenuItem:
    return LedgersMenuItem(
        _("Ledgers"),
        reverse_lazy("ledgers_admin:problems"),
        name="ledgers",
        icon_name="list-ul",
        order=225,
    )
