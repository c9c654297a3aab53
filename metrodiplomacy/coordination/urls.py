"""The coordination space's addresses, under /workspace/coordination/: names `coordination:<verb>_<noun>`."""

from django.urls import path

from . import views

app_name = "coordination"
SPACE = "<slug:workspace>/"
MECHANISM = SPACE + "mechanisms/<slug:mechanism>/"
urlpatterns = [
    path("", views.list_workspaces, name="list_workspaces"),
    path(SPACE, views.show_overview, name="show_overview"),
    path(SPACE + "stakeholders/", views.show_stakeholders, name="show_stakeholders"),
    path(SPACE + "agendas/<slug:organisation>/", views.edit_agenda, name="edit_agenda"),
    path(SPACE + "findings/", views.list_findings, name="list_findings"),
    path(SPACE + "calendar/", views.show_calendar, name="show_calendar"),
    path(SPACE + "calendar.ics", views.workspace_feed, name="workspace_feed"),
    path(SPACE + "calendar/feed-addresses/", views.list_feed_secrets, name="list_feed_secrets"),
    path(SPACE + "calendar/feed-addresses/new/", views.create_feed_secret, name="create_feed_secret"),
    path(SPACE + "calendar/feed-addresses/<int:secret>/revoke/", views.revoke_feed_secret, name="revoke_feed_secret"),
    path(SPACE + "organisations/<slug:organisation>/calendar.ics", views.organisation_feed, name="organisation_feed"),
    path(SPACE + "who-does-what/", views.show_who_does_what, name="show_who_does_what"),
    path(SPACE + "networks/", views.show_networks, name="show_networks"),
    path(SPACE + "records/", views.list_records, name="list_records"),
    path(SPACE + "mechanisms/", views.list_mechanisms, name="list_mechanisms"),
    path(MECHANISM, views.show_mechanism, name="show_mechanism"),
    path(MECHANISM + "meetings/", views.add_meeting, name="add_meeting"),
    path(MECHANISM + "meetings/<int:meeting>/minutes/", views.download_minutes, name="download_minutes"),
    path(MECHANISM + "decisions/", views.add_decision, name="add_decision"),
    path(MECHANISM + "decisions/<int:decision>/status/", views.set_decision_status, name="set_decision_status"),
]
