"""The public annual reports, mounted at /reports/: `reports:show_public_report`."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("<slug:subject>/<int:year>/", views.show_public_report, name="show_public_report"),
]
