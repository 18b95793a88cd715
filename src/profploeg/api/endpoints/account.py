from ninja import Router, Schema

from profploeg.api.schemas import ERRORS

router = Router(tags=["account"])


class MeOut(Schema):
    username: str
    role: str
    municipality: str | None
    province: str | None


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who the token or session acts as")
def me(request):
    user = request.auth
    return {
        "username": user.username,
        "role": user.role,
        "municipality": user.municipality.refnis if user.municipality_id else None,
        "province": user.province.refnis if user.province_id else None,
    }
