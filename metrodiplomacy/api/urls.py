from django.urls import path

from metrodiplomacy.api.main import api

urlpatterns = [path("", api.urls)]
