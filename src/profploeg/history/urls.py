from django.urls import path

from . import views

app_name = "history"

urlpatterns = [
    path("", views.import_page, name="import"),
    path("template.xlsx", views.template, name="template"),
    path("programmes/<int:pk>.xlsx", views.export, name="export"),
]
