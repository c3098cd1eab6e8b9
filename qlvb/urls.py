from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from qlvb.accounts import views as account_views
from qlvb.api import api
from qlvb.core import health, views
from qlvb.exchange import receive as exchange_receive
from qlvb.organization import delegation_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("account/", include("qlvb.accounts.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # A peer installation's delivery (token, not session): before the API's own routes.
    path("api/exchange/receive", exchange_receive.receive, name="exchange_receive"),
    path("api/", api.urls),
    path("incoming/", include("qlvb.incoming.urls")),
    path("records/", include("qlvb.records.urls")),
    path("archive/", include("qlvb.archive.urls")),
    path("outgoing/", include("qlvb.outgoing.urls")),
    path("search/", include("qlvb.documents.urls")),
    path("registers/", include("qlvb.documents.book_urls")),
    path("reports/", include("qlvb.reports.urls")),
    path("monitoring/", include("qlvb.monitoring.urls")),
    path("assignments/", include("qlvb.assignments.urls")),
    path("signing/", include("qlvb.signing.urls")),
    path("exchange/", include("qlvb.exchange.urls")),
    path("delegations/", delegation_views.delegations, name="delegations"),
    path("delegations/<int:pk>/revoke/", delegation_views.revoke, name="delegation_revoke"),
    path("administration/", include("qlvb.organization.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "qlvb.core.views.permission_denied"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
