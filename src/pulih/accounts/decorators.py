from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def role_required(*roles):
    """Pages for some roles only; to anyone else they do not exist (404)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (request.user.is_superuser or request.user.role in roles):
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator
