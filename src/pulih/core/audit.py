"""Audit: who changed what (django-auditlog) and who viewed whose data (access log)."""

from auditlog.context import auditlog_value
from django.conf import settings

from .models import AccessLog


def audit_actor_set(user):
    """Name the actor of this request's audited writes once API token auth has found them.

    AuditlogMiddleware reads request.user before the API authenticates a Bearer token,
    so without this, writes through the API would be logged without an actor.
    """
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    context["actor"] = user


def client_ip(request):
    """The client's address; X-Forwarded-For is trusted only behind the configured proxy."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(*, request, obj, channel="web"):
    user = request.user if request.user.is_authenticated else None
    return AccessLog.objects.create(
        user=user,
        username=user.get_username() if user else "",
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:200],
        channel=channel,
        ip_address=client_ip(request),
    )
