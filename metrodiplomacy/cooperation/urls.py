"""The cooperation pages of the workspace, mounted at /workspace/iati/: names `cooperation:<verb>_<noun>`."""

from django.urls import path

from . import views

app_name = "cooperation"
urlpatterns = [
    path("", views.import_iati, name="import_iati"),
]
