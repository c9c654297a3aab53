"""The workspace's addresses, under /workspace/: names `workspaces:<verb>_<noun>`."""

from django.urls import path

from . import views
from .views import imports

app_name = "workspaces"
RECORD = "<slug:kind>/<slug:key>/"
urlpatterns = [
    path("accounts/login/", views.sign_in, name="sign_in"),
    path("accounts/logout/", views.sign_out, name="sign_out"),
    path("", views.show_dashboard, name="show_dashboard"),
    # Before the record kinds: "members" is not a kind of record.
    path("members/", views.show_members, name="show_members"),
    path("members/<slug:organisation_key>/add/", views.add_membership, name="add_membership"),
    path("members/<int:membership_id>/role/", views.change_membership, name="change_membership"),
    path("members/<int:membership_id>/remove/", views.remove_membership, name="remove_membership"),
    # Before the record kinds too: "import" is not a kind of record.
    path("import/", imports.start_import, name="start_import"),
    path(
        "import/templates/<slug:entity>.csv", imports.download_template, {"extension": "csv"}, name="download_template"
    ),
    path(
        "import/templates/<slug:entity>.xlsx",
        imports.download_template,
        {"extension": "xlsx"},
        name="download_workbook",
    ),
    path("import/<slug:token>/", imports.show_import, name="show_import"),
    path("import/<slug:token>/commit/", imports.commit_import, name="commit_import"),
    path("import/<slug:token>/progress/", imports.show_import_progress, name="show_import_progress"),
    path("import/<slug:token>/problems.csv", imports.download_import_problems, name="download_import_problems"),
    path("<slug:kind>/", views.list_records, name="list_records"),
    path("<slug:kind>/new/", views.create_record, name="create_record"),
    path(RECORD, views.edit_record, name="edit_record"),
    path(RECORD + "delete/", views.delete_record, name="delete_record"),
    path(RECORD + "publish/", views.publish, name="publish_record"),
    path(RECORD + "unpublish/", views.unpublish, name="unpublish_record"),
    path(RECORD + "history/", views.show_history, name="show_history"),
    path(RECORD + "history/<int:history_id>/restore/", views.restore, name="restore_version"),
    path(RECORD + "citations/", views.add_citation, name="add_citation"),
    path(RECORD + "citations/<int:citation_id>/withdraw/", views.remove_citation, name="withdraw_citation"),
]
