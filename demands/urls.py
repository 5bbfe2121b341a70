from django.urls import URLPattern, path
from django.views.generic import RedirectView

from demands.views import public

app_name = "demands"
urlpatterns: list[URLPattern] = [
    path("", RedirectView.as_view(pattern_name="demands:choose_campaign")),
    path("new/", public.choose_campaign, name="choose_campaign"),
    path("<slug:campaign_slug>/new/", public.submit, name="submit"),
    path("thanks/", public.thanks, name="thanks"),
    path("track/", public.track, name="track"),
    path("track/status/", public.status, name="status"),
    path("track/my-data/", public.my_data, name="my_data"),
    path(
        "track/attachments/<int:attachment_pk>/",
        public.tracked_attachment,
        name="tracked_attachment",
    ),
    path("replied/", public.replied, name="replied"),
    path("figures/", public.figures, name="figures"),
]
