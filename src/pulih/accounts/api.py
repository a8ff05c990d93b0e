from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from pulih.core.audit import access_log_record
from pulih.core.ids import mask_nip, mask_phone

from . import selectors

router = Router(tags=["accounts"])


class UserOut(Schema):
    id: int
    username: str
    name: str
    role: str
    role_label: str
    province_code: str
    regency_code: str
    organisation: str | None

    @staticmethod
    def resolve_name(user):
        return user.get_full_name()

    @staticmethod
    def resolve_role_label(user):
        return str(user.get_role_display())

    @staticmethod
    def resolve_organisation(user):
        return str(user.organisation) if user.organisation else None


class UserDetailOut(UserOut):
    district_codes: list[str]
    phone: str
    nip: str

    @staticmethod
    def resolve_district_codes(user):
        return [d.code for d in user.districts.all()]

    @staticmethod
    def resolve_phone(user, context):
        return user.phone if _sees_full(context, user) else mask_phone(user.phone)

    @staticmethod
    def resolve_nip(user, context):
        return user.nip if _sees_full(context, user) else mask_nip(user.nip)


def _sees_full(context, user):
    viewer = context["request"].user
    return viewer.sees_personal_data or viewer.pk == user.pk


@router.get("/me", response=UserDetailOut)
def me(request):
    return request.user


@router.get("/users", response=list[UserOut])
@paginate(LimitOffsetPagination)
def users(request, q: str = "", role: str = "", province: str = "", regency: str = ""):
    return selectors.user_list(
        viewer=request.user, query=q, role=role, province_code=province, regency_code=regency
    )


@router.get("/users/{user_id}", response=UserDetailOut)
def user_detail(request, user_id: int):
    user = selectors.user_get(viewer=request.user, user_id=user_id)
    access_log_record(request=request, obj=user, channel="api")
    return user
