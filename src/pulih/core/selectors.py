from django.http import Http404

from .models import TaskProgress


def task_progress_list(*, user):
    return TaskProgress.objects.filter(owner=user)


def task_progress_get(*, user, progress_id):
    """A task's progress is its owner's alone; anyone else gets 404."""
    found = TaskProgress.objects.filter(owner=user, pk=progress_id).first()
    if found is None:
        raise Http404
    return found
