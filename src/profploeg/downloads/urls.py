from django.urls import path

from . import views

app_name = "downloads"

urlpatterns = [
    path("", views.download_list, name="list"),
    path("new/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status.json", views.status, name="status"),
    path("<int:pk>/file/", views.file, name="file"),
]
