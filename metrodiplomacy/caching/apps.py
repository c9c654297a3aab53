from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.models.signals import post_migrate


class CachingConfig(AppConfig):
    name = "metrodiplomacy.caching"
    verbose_name = "Response cache"

    def ready(self) -> None:
        from metrodiplomacy.caching.middleware import store
        from metrodiplomacy.caching.version import install_version_triggers

        # After every migrate (and flush): all tables exist then, new ones included, and get their trigger.
        post_migrate.connect(install_version_triggers, sender=self, dispatch_uid="metrodip-data-version")
        # A changed setting (tests) may change answers without any write: start from an empty store.
        setting_changed.connect(lambda **kwargs: store.clear(), weak=False, dispatch_uid="metrodip-cache-settings")
