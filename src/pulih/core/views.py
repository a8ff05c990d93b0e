from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import selectors

DATABASE_NAMES = {"sqlite": "sqlite", "postgresql": "postgresql"}


@never_cache
def healthz(request):
    database = DATABASE_NAMES.get(connection.vendor, connection.vendor)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": database}, status=503)
    return JsonResponse({"status": "ok", "database": database})


@login_required
def task_list(request):
    tasks = selectors.task_progress_list(user=request.user)[:50]
    return render(request, "core/task_list.html", {"tasks": tasks})


@login_required
@never_cache
def task_progress(request, progress_id):
    """The progress fragment; it polls itself with htmx until the task has finished."""
    progress = selectors.task_progress_get(user=request.user, progress_id=progress_id)
    return render(request, "core/_task_progress.html", {"progress": progress})
