from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views, workspace

urlpatterns = [
    # The language switch works on the login page too, before anyone has logged in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("todo/", workspace.workspace, name="workspace"),
    path("todo/retry-notifications/", workspace.retry_notifications, name="workspace_retry"),
    path("accounts/", include("profploeg.accounts.urls")),
    path("programmes/", include("profploeg.programmes.urls")),
    path("applications/", include("profploeg.applications.urls")),
    path("trajectories/", include("profploeg.trajectories.urls")),
    path("evaluations/", include("profploeg.evaluations.urls")),
    path("vitrine/", include("profploeg.showcase.urls")),
    path("reports/", include("profploeg.reports.urls")),
    path("api/", include("profploeg.api.urls")),
    path("imports/history/", include("profploeg.history.urls")),
    path("downloads/", include("profploeg.downloads.urls")),
    path("imports/", include("profploeg.api.import_urls")),
    path("audit/", include("profploeg.audit.urls")),
    path("admin/", admin.site.urls),
]
