from django.urls import URLPattern, path

from publicity.briefings import views as briefing_views

app_name = "publicity"
urlpatterns: list[URLPattern] = []

# --- Briefings (簡報) and wall boards (版報) ---
urlpatterns += [
    path(
        "briefings/<int:pk>/<str:kind>/",
        briefing_views.briefing_export,
        name="briefing_export",
    ),
    path(
        "briefings/<slug:campaign_slug>/",
        briefing_views.briefing_list,
        name="briefing_list",
    ),
]
