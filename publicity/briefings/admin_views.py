"""The briefing screens in the back office, under /admin/briefings/: the list, a new
briefing, a draft's page (edit, preview the exports, publish)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from core.admin import forbidden
from core.digits import parse_key
from core.errors import Conflict
from org.actors import person_of
from publicity.briefings import actions
from publicity.briefings.access import (
    briefing_campaigns_for_user,
    briefings_for_user,
    get_briefing_for_user,
)
from publicity.briefings.forms import BriefingForm
from publicity.models import BriefingPage, column_articles
from text.cleaning import clean_text
from text.script import to_simplified, to_traditional

# articles offered at once besides those chosen: a search finds the others
CANDIDATES = 30
BRIEFINGS_PER_PAGE = 50


def either_script(field: str, query: str) -> Q:
    """``field`` contains ``query`` as written, in simplified or in traditional."""
    match = Q()
    for word in {query, to_simplified(query), to_traditional(query)}:
        match |= Q(**{f"{field}__icontains": word})
    return match


def search_query(request: HttpRequest) -> str:
    return clean_text(request.GET.get("q", ""))[:100].strip()


class BriefingAdminView(WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Briefings")
    header_icon = "doc-full"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not briefing_campaigns_for_user(request.user).exists():
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class BriefingIndexView(BriefingAdminView):
    template_name = "publicity/briefing_admin_index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["campaigns"] = briefing_campaigns_for_user(user).filter(
            column__isnull=False
        )
        briefings = briefings_for_user(user, write=True)
        query = context["query"] = search_query(self.request)
        if query:
            briefings = briefings.filter(either_script("draft_title", query))
        paginator = WagtailPaginator(
            briefings.select_related("campaign").order_by(
                "-latest_revision_created_at", "-pk"
            ),
            BRIEFINGS_PER_PAGE,
        )
        shown = paginator.get_page(self.request.GET.get("p"))
        context["briefings"] = shown
        context["items"] = shown
        context["elided_page_range"] = paginator.get_elided_page_range(shown.number)
        return context


class BriefingEditView(BriefingAdminView):
    """A new briefing (``campaign`` in the URL) or a draft's page (``pk``)."""

    template_name = "publicity/briefing_admin_edit.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.page: BriefingPage | None = None
        self.draft: BriefingPage | None = None

    def column(self) -> Any:
        if "pk" in self.kwargs:
            self.page = get_briefing_for_user(
                self.request.user, self.kwargs["pk"], write=True
            )
            self.draft = self.page.get_latest_revision_as_object()
            return self.page.get_parent().specific
        campaign = (
            briefing_campaigns_for_user(self.request.user)
            .filter(pk=self.kwargs["campaign"], column__isnull=False)
            .first()
        )
        if campaign is None:
            raise Http404
        return campaign.column

    def articles(self, column: Any) -> list[Any]:
        """The articles offered: on a post, those the form sent (of this column);
        else the draft's chosen ones, then the column's articles whose title has the
        searched words in either script (the newest when nothing is searched)."""
        available = column_articles(column)
        if self.request.method == "POST":
            keys = [
                parse_key(name.removeprefix("article_"))
                for name in self.request.POST
                if name.startswith("article_")
            ]
            wanted = [key for key in keys if key is not None][: CANDIDATES * 4]
            return list(available.filter(pk__in=wanted))
        chosen = self.draft.chosen_articles() if self.draft is not None else []
        query = self.query()
        if query:
            available = available.filter(either_script("title", query))
        taken = {article.pk for article in chosen}
        found = [a for a in available[: CANDIDATES + len(taken)] if a.pk not in taken]
        return [*chosen, *found[:CANDIDATES]]

    def query(self) -> str:
        return search_query(self.request)

    def form(self, column: Any) -> BriefingForm:
        articles = self.articles(column)
        if self.draft is None:
            return BriefingForm(self.request.POST or None, articles=articles)
        return BriefingForm(
            self.request.POST or None,
            articles=articles,
            chosen=self.draft.chosen_articles(),
            initial={
                "title": self.draft.title,
                "text": self.draft.text,
                "revision_id": self.page.latest_revision_id if self.page else None,
            },
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        column = self.column()
        return self.render_to_response(self.context(column, self.form(column)))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        column = self.column()
        form = self.form(column)
        if form.is_valid():
            fields = {
                "title": form.cleaned_data["title"],
                "text": form.cleaned_data["text"],
                "articles": form.chosen_articles(),
                "actor": request.user,
            }
            try:
                if self.page is None:
                    page = actions.create_briefing(column, **fields)
                else:
                    page = actions.update_briefing(
                        self.page,
                        revision_id=form.cleaned_data["revision_id"],
                        **fields,
                    )
            except (ValidationError, Conflict) as error:
                messages.error(request, " ".join(_messages(error)))
            else:
                messages.success(request, _("The briefing draft was saved."))
                return redirect("publicity_briefings:edit", page.pk)
        return self.render_to_response(self.context(column, form))

    def context(self, column: Any, form: BriefingForm) -> dict[str, Any]:
        return self.get_context_data(
            column=column,
            form=form,
            page=self.page,
            draft=self.draft,
            query=self.query(),
            candidates=CANDIDATES,
        )


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error)]


def publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    page = get_briefing_for_user(request.user, pk, write=True)
    revision = request.POST.get("revision_id", "")
    try:
        page = actions.publish_briefing(
            page,
            revision_id=parse_key(revision),
            actor=person_of(request),
        )
    except (ValidationError, Conflict) as error:
        messages.error(request, " ".join(_messages(error)))
    else:
        messages.success(
            request,
            _("The briefing was published as %(issue)s.") % {"issue": page.issue_label},
        )
    return redirect(reverse("publicity_briefings:edit", args=[pk]))


def admin_urls() -> list[Any]:
    urls = [
        path("", BriefingIndexView.as_view(), name="index"),
        path("new/<int:campaign>/", BriefingEditView.as_view(), name="new"),
        path("<int:pk>/", BriefingEditView.as_view(), name="edit"),
        path("<int:pk>/publish/", publish_view, name="publish"),
    ]
    return [path("briefings/", include((urls, "publicity_briefings")))]
