from ninja import NinjaAPI


def register(api: NinjaAPI) -> None:
    from profploeg.history import api as history_api

    from . import (
        account,
        applications,
        budget,
        downloads,
        experts,
        imports,
        intakes,
        municipalities,
        person_days,
        programmes,
        setup,  # noqa: F401  (adds the set-up operations to the programmes and budget routers)
        showcase,
        trajectories,
        users,
    )

    api.add_router("", account.router)
    api.add_router("", programmes.router)
    api.add_router("", municipalities.router)
    api.add_router("", applications.router)
    api.add_router("", imports.router)
    api.add_router("", history_api.router)
    api.add_router("", experts.router)
    api.add_router("", budget.router)
    api.add_router("", intakes.router)
    api.add_router("", trajectories.router)
    api.add_router("", person_days.router)
    api.add_router("", showcase.router)
    api.add_router("", users.router)
    api.add_router("", downloads.router)
