from django.contrib import admin
from django.urls import include, path

from metrodiplomacy.workspaces.views import sign_in

# Staff sign in through the same two steps as everyone else: the admin's password-only form would skip the code.
admin.site.login = sign_in

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("metrodiplomacy.api.urls")),
    # Before the workspace's own addresses, whose `<kind>/` would take these prefixes for kinds of record.
    path("workspace/coordination/", include("metrodiplomacy.coordination.urls")),
    path("workspace/iati/", include("metrodiplomacy.cooperation.urls")),
    path("workspace/results/", include("metrodiplomacy.strategy.urls")),
    path("workspace/accounts/", include("metrodiplomacy.accounts.urls")),
    path("workspace/", include("metrodiplomacy.workspaces.urls")),
    path("reports/", include("metrodiplomacy.reports.urls")),
    path("", include("metrodiplomacy.observatory.urls")),
]
