"""The import's background work: validating an upload, and writing its accepted rows."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from pulih.core.progress import ProgressReporter

from .files import ImportFiles
from .messages import ImportRefused
from .place import import_place
from .runs import refused_result, validation_run, write_run

# Progress is written once per chunk of rows, not per row.
PROGRESS_EVERY = 5_000


@task()
def import_validate(progress_id, language="id"):
    """Judge the uploaded file kept in the progress payload; the upload is deleted after."""
    with (
        translation.override(language),
        ProgressReporter(progress_id, every=PROGRESS_EVERY) as reporter,
    ):
        payload, owner = reporter.payload, reporter.progress.owner
        path = Path(payload["path"])
        files = ImportFiles.of(payload["token"])
        try:
            place = import_place(user=owner, regency_code=payload["regency_code"])
            result = validation_run(
                path=path,
                filename=payload["filename"],
                place=place,
                files=files,
                language=language,
                user=owner,
                progress=reporter,
            )
        except ImportRefused as refusal:
            reporter.progress.result = refused_result(refusal, language)
            reporter.fail(refusal.problem.text(language))
            return
        finally:
            files.remove(path)
        counts = result["counts"]
        reporter.finish(
            result=result,
            message=_("%(valid)s of %(total)s rows can be imported.")
            % {"valid": counts["valid"], "total": counts["total"]},
        )


@task()
def import_write(progress_id, language="id"):
    """Write an accepted import. On failure nothing is written and the import may be
    accepted again (the batch may have been under review; it may be returned)."""
    with (
        translation.override(language),
        ProgressReporter(progress_id, every=PROGRESS_EVERY) as reporter,
    ):
        progress = reporter.progress
        validated = {**progress.result, "stage": "validated"}
        try:
            place = import_place(user=progress.owner, regency_code=validated["regency_code"])
            result = write_run(
                result=validated, place=place, user=progress.owner, progress=reporter
            )
        except ValidationError as exc:
            progress.result = validated
            reporter.fail(" ".join(exc.messages))
            return
        except BaseException:
            progress.result = validated
            raise
        reporter.finish(
            result=result,
            message=_("%(count)s rows written to stage %(stage)s.")
            % {"count": result["written"]["businesses"], "stage": result["batch"]["stage"]},
        )
