from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("accounts/", include("profploeg.accounts.urls")),
    path("programmes/", include("profploeg.programmes.urls")),
    path("applications/", include("profploeg.applications.urls")),
    path("trajectories/", include("profploeg.trajectories.urls")),
    path("evaluations/", include("profploeg.evaluations.urls")),
    path("vitrine/", include("profploeg.showcase.urls")),
    path("reports/", include("profploeg.reports.urls")),
    path("api/", include("profploeg.api.urls")),
    path("imports/", include("profploeg.api.import_urls")),
    path("admin/", admin.site.urls),
]
