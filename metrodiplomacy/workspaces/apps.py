from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "metrodiplomacy.workspaces"
    label = "workspaces"
