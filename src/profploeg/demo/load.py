"""The whole demo, in the order history happened: the 2021 call with rounds 1 and 2, the offer and
its amendment of May 2022, round 3, the guidance of every accepted application, evaluations and
De Vitrine, and a call that is open today."""

from profploeg.demo import applications, showcase, trajectories
from profploeg.programmes.models import Programme


def load_demo() -> Programme:
    """Load every part that is missing (idempotent); returns the seed programme."""
    seed = applications.load_seed_programme()
    trajectories.load_offer(seed)
    # Round 3 is accepted within the capacity of the amended offer.
    applications.load_third_round(seed)
    trajectories.load_trajectories(seed)
    showcase.load_showcase(seed)
    applications.load_open_call()
    return seed
