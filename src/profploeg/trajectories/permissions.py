"""Who may see and do what with intakes, trajectories and person-days.

Reads go through `visible_to`: an outsider, or another municipality, gets 404."""

from django.shortcuts import get_object_or_404

from profploeg.accounts.models import User

from .models import Expert, Intake, Trajectory

# The profploeg and the programme staff run intakes and trajectories and see the budget.
TEAM_ROLES = (User.Role.STAFF, User.Role.EXPERT)


def is_team(user: User) -> bool:
    return user.is_active and user.role in TEAM_ROLES


def runs_trajectory(user: User, trajectory: Trajectory) -> bool:
    """Staff, and the experts assigned to a trajectory, take its steps (start, next phase,
    complete, stop); only staff change its assignments, planned days and expected end."""
    if not user.is_active:
        return False
    if user.role == User.Role.STAFF:
        return True
    return (
        user.role == User.Role.EXPERT and trajectory.assignments.filter(expert__user=user).exists()
    )


def get_visible_trajectory(user: User, pk: int) -> Trajectory:
    return get_object_or_404(
        Trajectory.objects.visible_to(user).select_related(
            "application__municipality__merged_into", "application__round__programme", "intake"
        ),
        pk=pk,
    )


def get_visible_intake(user: User, pk: int) -> Intake:
    return get_object_or_404(
        Intake.objects.visible_to(user).select_related(
            "application__municipality", "application__round__programme"
        ),
        pk=pk,
    )


def expert_of(user: User) -> Expert | None:
    """The expert profile of a logged-in expert, if staff linked one."""
    if not user.is_authenticated:
        return None
    return Expert.objects.filter(user=user).select_related("organisation").first()
