from django.urls import path

from publicity.views import public

app_name = "publicity"
urlpatterns = [
    path("search/", public.search, name="search"),
    path("<int:column_id>/feed/", public.ColumnFeed(), name="feed"),
    path(
        "<int:column_id>/feed/<slug:category>/",
        public.ColumnFeed(),
        name="category_feed",
    ),
    path("models/<int:pk>/object/", public.object_to_model, name="object"),
]
