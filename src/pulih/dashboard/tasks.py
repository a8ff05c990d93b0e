"""Background work started from the dashboard tools."""

from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from pulih.core.progress import ProgressReporter
from pulih.wilayah.data import nik_check


@task()
def nik_bulk_check(progress_id, niks, language="id"):
    """Check a list of NIKs and keep each one's verdict on the progress record."""
    with translation.override(language):
        reporter = ProgressReporter(progress_id, every=500)
        reporter.start(total=len(niks), message=_("Checking NIKs…"))
        rows, valid = [], 0
        for nik in niks:
            result = nik_check(nik)
            valid += result.valid
            rows.append(
                {
                    "nik": nik,
                    "valid": result.valid,
                    "problems": [p.text(language) for p in result.errors + result.warnings],
                }
            )
            reporter.advance()
        reporter.finish(
            result={"rows": rows, "valid": valid, "invalid": len(niks) - valid},
            message=_("%(valid)s of %(total)s NIKs are valid.")
            % {"valid": valid, "total": len(niks)},
        )
