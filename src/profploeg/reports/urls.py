from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("programmes/<int:pk>/status/", views.status, name="status"),
]
