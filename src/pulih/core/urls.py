from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("<uuid:progress_id>/", views.task_progress, name="task_progress"),
]
