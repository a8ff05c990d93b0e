"""The JSON API at /api/v1/: one NinjaAPI, a router per app, errors as {"message": …}."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from pulih.accounts.api import router as accounts_router
from pulih.accounts.auth import api_auth
from pulih.accounts.auth_api import router as auth_router
from pulih.core.api import router as tasks_router
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
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return api.create_response(
        request, {"message": _("The request is not valid."), "errors": errors}, status=422
    )
