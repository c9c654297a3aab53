"""Results pages of the workspace, mounted at /workspace/results/: names `strategy:<verb>_<noun>`."""

from django.urls import path

from . import views

app_name = "strategy"
urlpatterns = [
    path("", views.show_results, name="show_results"),
    path("values/<slug:key>/", views.show_value, name="show_value"),
    path("values/<slug:key>/submit/", views.submit_value, name="submit_value"),
    path("values/<slug:key>/approve/", views.approve_value, name="approve_value"),
    path("values/<slug:key>/return/", views.return_value, name="return_value"),
    path("periods/lock/", views.lock_period, name="lock_period"),
    path("report/<slug:organisation>/<int:year>/", views.show_report, name="show_report"),
]
