from django.urls import path

from ledgers.views import public

app_name = "ledgers"
urlpatterns = [
    path("<slug:campaign>/disclosure/", public.disclosure, name="disclosure"),
    path("<slug:campaign>/deeds/", public.deeds, name="deeds"),
    path("<slug:campaign>/deeds/<int:pk>/rate/", public.rate, name="rate"),
]
