from django.contrib.auth import authenticate
from ninja import Router, Schema
from ninja.errors import HttpError

from pulih.core.audit import audit_actor_set

from .messages import LOCKED_OUT, LOGIN_FAILED
from .services import token_issue

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


@router.post("/token", auth=None, response=TokenOut)
def token_create(request, credentials: Credentials):
    """Exchange a username and password for an API token (send it as `Authorization: Bearer`)."""
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, str(LOCKED_OUT))  # AxesMiddleware answers with lockout_response
    if user is None:
        raise HttpError(401, str(LOGIN_FAILED))
    audit_actor_set(user)
    return {"token": token_issue(user=user)}
