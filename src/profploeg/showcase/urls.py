from django.urls import path

from . import views

app_name = "showcase"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<slug:slug>/", views.case_detail, name="case"),
    path("map/", views.case_map, name="map"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("language/<str:language>/", views.set_language, name="language"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/cases.json", views.cases_json, name="cases_json"),
    path("open-data/cases.csv", views.cases_csv, name="cases_csv"),
    path("open-data/figures.json", views.figures_json, name="figures_json"),
    path("open-data/figures.csv", views.figures_csv, name="figures_csv"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/<int:trajectory_pk>/", views.case_create, name="case_create"),
    path("manage/<int:pk>/", views.manage_case, name="manage_case"),
    path("manage/<int:pk>/preview/", views.case_preview, name="preview"),
    path("manage/<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("manage/<int:pk>/<slug:action>/", views.case_action, name="action"),
    path("manage/photos/<int:pk>/remove/", views.photo_remove, name="photo_remove"),
]
