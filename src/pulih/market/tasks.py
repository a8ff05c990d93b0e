"""The market's background work: printing a regency's booklet of UMKM products."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from pulih.core.formats import number
from pulih.core.progress import ProgressReporter

from . import flyers


@task()
def booklet_print(progress_id, language="id"):
    """Print the booklet of the regency kept on the progress record into a file that only
    the officer who asked for it downloads (`flyers.booklet_file`)."""
    with translation.override(language), ProgressReporter(progress_id, every=1) as reporter:
        payload = reporter.payload

        def report(done, total):
            counts = {"done": number(done), "total": number(total)}
            if done == 0:
                reporter.start(total=total, message=_("Preparing the products…"))
            elif done < total:
                reporter.advance(message=_("Product %(done)s of %(total)s") % counts)
            else:
                reporter.advance(message=_("Putting the %(total)s products into pages…") % counts)

        data = flyers.booklet_pdf(
            regency_code=payload["regency_code"],
            base_url=payload["base_url"],
            on_progress=report,
        )
        count = reporter.progress.total
        reporter.finish(
            result=flyers.booklet_save(data=data, regency_code=payload["regency_code"]),
            message=ngettext(
                "The booklet of %(count)s product is ready.",
                "The booklet of %(count)s products is ready.",
                count,
            )
            % {"count": number(count)},
        )
