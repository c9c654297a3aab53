from django.contrib import admin

from metrodiplomacy.admin_helpers import RecordAdmin, register

from .models import Agreement, AgreementParty, Engagement, Hosting, Initiative, NetworkMembership, NetworkRole


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 2
    autocomplete_fields = ("place", "organisation")


class NetworkRoleInline(admin.TabularInline):
    model = NetworkRole
    extra = 1


class AgreementAdmin(RecordAdmin):
    inlines = [AgreementPartyInline, *RecordAdmin.inlines]


class NetworkMembershipAdmin(RecordAdmin):
    inlines = [NetworkRoleInline, *RecordAdmin.inlines]


register(Agreement, admin_class=AgreementAdmin, list_display=("title", "kind", "year", "status"))
register(
    NetworkMembership,
    admin_class=NetworkMembershipAdmin,
    list_display=("network", "member", "is_prioritised"),
)
register(Hosting, Initiative, Engagement)
