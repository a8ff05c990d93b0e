"""Record linkage's background work."""

from django.utils.translation import gettext as _
from django_tasks import task

from pulih.core.progress import ProgressReporter

from .models import DedupRun
from .services import run_execute


@task()
def dedup_run(progress_id):
    with ProgressReporter(progress_id, every=1) as reporter:
        run = DedupRun.objects.get(pk=reporter.payload["run"])
        try:
            run = run_execute(run=run, reporter=reporter)
        except Exception:
            DedupRun.objects.filter(pk=run.pk).update(status=DedupRun.Status.FAILED)
            raise
        reporter.finish(
            result={"run": run.pk},
            message=_("%(records)s records: %(linked)s pairs linked, %(review)s to review.")
            % {"records": run.records, "linked": run.linked, "review": run.to_review},
        )
