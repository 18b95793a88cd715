from django.urls import path

from . import import_views

app_name = "imports"

urlpatterns = [
    path("applications/", import_views.import_applications_page, name="applications"),
]
