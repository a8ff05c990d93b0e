"""The JSON API at /api/v1/: one NinjaAPI, a router per app, errors as {"message": …}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from pulih.accounts.api import router as accounts_router
from pulih.accounts.auth import api_auth
from pulih.accounts.auth_api import router as auth_router
from pulih.core.api import router as tasks_router
from pulih.dedup.api import router as dedup_router
from pulih.market.api import router as market_router
from pulih.market.api_gallery import router as market_gallery_router
from pulih.market.api_manage import router as market_manage_router
from pulih.market.api_pic import router as market_pic_router
from pulih.matching.api_demands import router as demands_router
from pulih.matching.api_materials import router as material_matches_router
from pulih.matching.api_reports import router as production_reports_router
from pulih.production.api import router as production_router
from pulih.production.api_licences import router as licences_router
from pulih.programs.api import router as programs_router
from pulih.registry.api import router as registry_router
from pulih.registry.api_import import router as import_router
from pulih.wilayah.api import router as wilayah_router
from pulih.wilayah.api import tools_router

api = NinjaAPI(
    title="pulih API",
    version="1",
    description="Data KUMKM terdampak Covid-19 / Data on KUMKM affected by Covid-19",
    urls_namespace="api",
    auth=api_auth,
)
api.add_router("/auth", auth_router)
api.add_router("/wilayah", wilayah_router)
api.add_router("/tools", tools_router)
api.add_router("/accounts", accounts_router)
api.add_router("/tasks", tasks_router)
api.add_router("/registry/imports", import_router)
api.add_router("/registry", registry_router)
api.add_router("/dedup", dedup_router)
api.add_router("/programs", programs_router)
api.add_router("/production", production_router)
api.add_router("/production", licences_router)
api.add_router("/matching", demands_router)
api.add_router("/matching", material_matches_router)
api.add_router("/matching", production_reports_router)
api.add_router("/market", market_router)
api.add_router("/market", market_manage_router)
api.add_router("/market", market_pic_router)
api.add_router("/market", market_gallery_router)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"message": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"message": _("Authentication required: send a valid Bearer token.")}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request, exc):
    message = str(exc)
    if exc.status_code == 400 and exc.__cause__ is not None:
        message = _("The request body is not valid JSON.")  # raised by ninja's body parser
    return api.create_response(request, {"message": message}, status=exc.status_code)


# Field messages in the user's language for the common cases; pydantic's own otherwise.
FIELD_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Must be text."),
    "int_parsing": gettext_lazy("Must be a whole number."),
    "int_type": gettext_lazy("Must be a whole number."),
    "uuid_parsing": gettext_lazy("Must be a UUID."),
    "json_invalid": gettext_lazy("Not valid JSON."),
    "float_parsing": gettext_lazy("Must be a number."),
    "float_type": gettext_lazy("Must be a number."),
    "date_parsing": gettext_lazy("Must be a date, written YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Must be a date, written YYYY-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("Must be a date, written YYYY-MM-DD."),
    "date_type": gettext_lazy("Must be a date, written YYYY-MM-DD."),
    "literal_error": gettext_lazy("Must be one of the listed values."),
    "enum": gettext_lazy("Must be one of the listed values."),
    "string_pattern_mismatch": gettext_lazy("Not in the expected format."),
    "string_too_long": gettext_lazy("Too long."),
    "less_than": gettext_lazy("Too large."),
    "less_than_equal": gettext_lazy("Too large."),
    "greater_than": gettext_lazy("Too small."),
    "greater_than_equal": gettext_lazy("Too small."),
}


def field_name(loc):
    """("body", "payload", "problems", 0) → "problems.0": the field as the client sent it."""
    parts = list(loc[1:])
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(str(p) for p in parts)


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    errors = [
        {
            "field": field_name(e.get("loc", [])),
            "message": str(FIELD_MESSAGES.get(e.get("type"), e.get("msg", ""))),
        }
        for e in exc.errors
    ]
    return api.create_response(
        request, {"message": _("The request is not valid."), "errors": errors}, status=422
    )


@api.exception_handler(DjangoValidationError)
def refused_by_service(request, exc):
    """A service refused the write: the first reason as the message, every field's reasons."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "", "message": message} for message in exc.messages]
    return api.create_response(
        request, {"message": errors[0]["message"], "errors": errors}, status=422
    )


@api.exception_handler(PermissionDenied)
def not_allowed(request, exc):
    message = str(exc) or _("You may not do this.")
    return api.create_response(request, {"message": message}, status=403)


def api_not_found(request, path=""):
    """Unknown addresses under /api/v1/ answer in JSON like the rest of the API."""
    return JsonResponse({"message": _("Not found.")}, status=404)
