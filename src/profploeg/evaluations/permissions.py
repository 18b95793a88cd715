"""Who may read a municipality's answers. Reads go through `visible_to`; this narrows it."""

from profploeg.accounts.models import User
from profploeg.trajectories.models import Trajectory


def can_read_answers(user: User, trajectory: Trajectory) -> bool:
    """Programme staff and the municipality itself read the answers; the experts who were
    evaluated and the province see only whether they came in."""
    if not user.is_active:
        return False
    if user.role == User.Role.STAFF:
        return True
    municipality = trajectory.application.municipality
    return user.role == User.Role.MUNICIPALITY and user.municipality_id in (
        municipality.pk,
        municipality.merged_into_id,
    )
