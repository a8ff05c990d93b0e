from django.http import JsonResponse
from django.shortcuts import render

from .messages import LOCKED_OUT


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    """What a locked-out sign-in gets: JSON from the API, the lock page elsewhere (429)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"message": str(LOCKED_OUT)}, status=429)
    return render(request, "accounts/locked.html", status=429)
