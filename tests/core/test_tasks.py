"""Background work: progress records, the polling fragment, and the real database worker."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from pulih.core.models import TaskProgress
from pulih.dashboard.services import nik_bulk_check_start

pytestmark = pytest.mark.django_db(transaction=True)

NIKS = "1901014107800003\n1901010101800000\n12345\n"


def test_bulk_nik_check_runs_in_the_worker_and_reports_progress(personas, login):
    client = login(personas.kab_bangka)
    response = client.post(reverse("dashboard:nik_check"), {"niks": NIKS})
    progress = TaskProgress.objects.get(owner=personas.kab_bangka)
    assert progress.status == TaskProgress.Status.QUEUED
    assert (
        f'hx-get="{reverse("core:task_progress", args=[progress.pk])}"' in response.content.decode()
    )

    call_command("db_worker", batch=True, verbosity=0)

    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE
    assert (progress.done, progress.total) == (3, 3)
    assert progress.result["valid"] == 1
    fragment = client.get(reverse("core:task_progress", args=[progress.pk])).content.decode()
    assert "hx-trigger" not in fragment, "a finished task stops polling"
    assert "1 sah, 2 tidak sah." in fragment


def test_task_progress_is_only_for_the_user_who_started_it(personas, login, client):
    progress = nik_bulk_check_start(user=personas.kab_bangka, text="1901014107800003")
    other = login(personas.kab_belitung)
    assert other.get(reverse("core:task_progress", args=[progress.pk])).status_code == 404
    api = other.get(f"/api/v1/tasks/{progress.pk}")
    assert api.status_code == 404


def test_pasted_niks_are_not_kept_after_the_check(personas, login):
    from django_tasks_db.models import DBTaskResult

    client = login(personas.kab_bangka)
    client.post(reverse("dashboard:nik_check"), {"niks": NIKS})
    assert "1901014107800003" not in str(DBTaskResult.objects.get().args_kwargs)
    call_command("db_worker", batch=True, verbosity=0)
    progress = TaskProgress.objects.get(owner=personas.kab_bangka)
    assert progress.payload == {}
    assert "1901014107800003" not in str(progress.result)
    assert progress.result["rows"][0]["nik"] == "1901********0003"


def test_a_task_that_breaks_is_marked_failed_and_stops_polling(personas, login):
    from pulih.core.progress import ProgressReporter, progress_start

    progress = progress_start(owner=personas.kab_bangka, kind="test", title="Uji")
    with pytest.raises(RuntimeError), ProgressReporter(progress.pk) as reporter:
        reporter.start(total=10)
        raise RuntimeError("boom")
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.FAILED
    client = login(personas.kab_bangka)
    fragment = client.get(reverse("core:task_progress", args=[progress.pk])).content.decode()
    assert "hx-trigger" not in fragment
    assert "Gagal" in fragment
