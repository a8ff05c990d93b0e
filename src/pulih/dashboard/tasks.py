"""Background work started from the dashboard tools."""

from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from pulih.core.ids import mask_nik
from pulih.core.progress import ProgressReporter
from pulih.wilayah.data import nik_check


@task()
def nik_bulk_check(progress_id, language="id"):
    """Check the NIKs kept on the progress record; the verdicts keep only masked NIKs."""
    with translation.override(language), ProgressReporter(progress_id, every=500) as reporter:
        niks = reporter.payload["niks"]
        reporter.start(total=len(niks), message=_("Checking NIKs…"))
        rows, valid = [], 0
        for line, nik in enumerate(niks, start=1):
            result = nik_check(nik)
            valid += result.valid
            rows.append(
                {
                    "line": line,
                    "nik": mask_nik(nik),
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
