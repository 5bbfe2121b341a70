from django.urls import URLPattern, path

from publicity.briefings import views as briefing_views
from publicity.views import public

app_name = "publicity"
urlpatterns: list[URLPattern] = [
    path("search/", public.search, name="search"),
    path("feed/", public.ColumnFeed(), name="site_feed"),
    path("<int:column_id>/feed/", public.ColumnFeed(), name="feed"),
    path(
        "<int:column_id>/feed/<slug:category>/",
        public.ColumnFeed(),
        name="category_feed",
    ),
    path("models/<int:pk>/object/", public.object_to_model, name="object"),
]

# --- Briefings (簡報) and wall boards (版報) ---
urlpatterns += [
    path(
        "briefings/<int:pk>/<str:kind>/",
        briefing_views.briefing_export,
        name="briefing_export",
    ),
    path(
        "briefings/<int:pk>/<str:kind>/status/",
        briefing_views.briefing_export_status,
        name="briefing_export_status",
    ),
    path(
        "briefings/<slug:campaign_slug>/",
        briefing_views.briefing_list,
        name="briefing_list",
    ),
]
