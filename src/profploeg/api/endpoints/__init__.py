from ninja import NinjaAPI


def register(api: NinjaAPI) -> None:
    from . import account

    api.add_router("", account.router)
