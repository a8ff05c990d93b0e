"""Region lists for clients (public: region codes are public reference data) and the NIK check."""

from typing import Literal

from django.utils.translation import get_language
from ninja import Router, Schema, Status

from . import selectors
from .data import nik_check

router = Router(tags=["wilayah"], auth=None)
tools_router = Router(tags=["tools"])


class RegionOut(Schema):
    code: str
    name: str


class RegencyOut(RegionOut):
    kind: Literal["kabupaten", "kota"]

    @staticmethod
    def resolve_kind(obj):
        return "kota" if obj.is_city else "kabupaten"


class NikProblemOut(Schema):
    code: str
    id: str
    en: str
    text: str


class NikInvalidOut(Schema):
    message: str
    errors: list[NikProblemOut]


@router.get("/provinces", response=list[RegionOut], summary="Provinces")
def provinces(request):
    return selectors.province_list()


@router.get(
    "/provinces/{code}/regencies", response=list[RegencyOut], summary="Regencies and cities"
)
def regencies(request, code: str):
    return selectors.region_children(level="regencies", parent_code=code)


@router.get("/regencies/{code}/districts", response=list[RegionOut], summary="Districts")
def districts(request, code: str):
    return selectors.region_children(level="districts", parent_code=code)


@router.get("/districts/{code}/villages", response=list[RegionOut], summary="Villages")
def villages(request, code: str):
    return selectors.region_children(level="villages", parent_code=code)


@tools_router.get("/nik/{nik}", response={200: dict, 422: NikInvalidOut}, summary="Check a NIK")
def nik(request, nik: str):
    """Decode a NIK (region, birth date, sex, serial) or say why it is invalid.

    Texts follow the request's language (Accept-Language or the language cookie).
    """
    language = get_language()
    result = nik_check(nik)
    if not result.valid:
        return Status(
            422,
            {
                "message": result.errors[0].text(language),
                "errors": [problem.to_dict(language) for problem in result.errors],
            },
        )
    return result.to_dict(language)
