from django.urls import path

from . import consortium_views, views

app_name = "trajectories"

urlpatterns = [
    path("", views.trajectory_list, name="list"),
    path("<int:pk>/", views.trajectory_detail, name="detail"),
    path("<int:pk>/assign/", views.trajectory_assign, name="assign"),
    path("<int:pk>/expected-end/", views.trajectory_expected_end, name="expected_end"),
    path("<int:pk>/<slug:step>/", views.trajectory_step, name="step"),
    path("experts/", views.expert_list, name="experts"),
    path("experts/<int:pk>/", views.expert_detail, name="expert"),
    path("experts/<int:pk>/edit/", consortium_views.expert_edit, name="expert_edit"),
    path("organisations/", consortium_views.organisation_list, name="organisations"),
    path(
        "organisations/<int:pk>/edit/",
        consortium_views.organisation_edit,
        name="organisation_edit",
    ),
    path("expertise-areas/", consortium_views.expertise_area_list, name="expertise_areas"),
    path("offer/<int:programme_pk>/", views.offer_detail, name="offer"),
    path("intakes/plan/<int:application_pk>/", views.intake_plan, name="intake_plan"),
    path("intakes/held/<int:application_pk>/", views.intake_held, name="intake_held"),
    path("intakes/<int:pk>/", views.intake_detail, name="intake"),
    path("intakes/<int:pk>/reschedule/", views.intake_reschedule, name="intake_reschedule"),
    path("intakes/<int:pk>/cancel/", views.intake_cancel, name="intake_cancel"),
    path("intakes/<int:pk>/outcome/", views.intake_outcome, name="intake_outcome"),
    path("intakes/<int:pk>/intake.ics", views.intake_ics, name="intake_ics"),
    path("intake-form/<int:application_pk>/", views.intake_form, name="intake_form"),
    path("days/", views.person_days, name="days"),
    path("days/import/", views.person_days_import, name="days_import"),
    path("days/<int:pk>/correct/", views.person_days_correct, name="entry_correct"),
    path("budget/", views.budget_latest, name="budget_latest"),
    path("budget/<int:programme_pk>/", views.budget, name="budget"),
]
