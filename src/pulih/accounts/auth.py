"""API authentication: a Bearer token, or the browser session of a signed-in user."""

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from pulih.core.audit import audit_actor_set

from .models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(key_hash=ApiToken.hash(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        # A token seen in the last minute is not written again: reads stay reads.
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        audit_actor_set(found.user)
        return found.user


api_auth = [BearerToken(), django_auth]
