from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "metrodiplomacy.evidence"
    label = "evidence"
