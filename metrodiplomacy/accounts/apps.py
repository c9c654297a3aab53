from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The signed-in person's own account: second factor, recovery codes, password, email and API tokens."""

    name = "metrodiplomacy.accounts"
    verbose_name = _("Accounts")
