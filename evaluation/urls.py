from django.urls import path

from evaluation.views import public

app_name = "evaluation"
urlpatterns = [
    path("surveys/<int:pk>/", public.survey, name="survey"),
]
