from django.urls import URLPattern

app_name = "demands"
urlpatterns: list[URLPattern] = []
