from ninja import NinjaAPI


def register(api: NinjaAPI) -> None:
    from . import account, applications, imports, municipalities, programmes

    api.add_router("", account.router)
    api.add_router("", programmes.router)
    api.add_router("", municipalities.router)
    api.add_router("", applications.router)
    api.add_router("", imports.router)
