from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pulih.core.progress import progress_start

from .tasks import nik_bulk_check

NIK_BULK_LIMIT = 10_000


def nik_bulk_check_start(*, user, text):
    """Queue a check of the NIKs pasted one per line; returns the progress record."""
    niks = [line.strip() for line in text.splitlines() if line.strip()]
    progress = progress_start(
        owner=user,
        kind="nik_bulk_check",
        title=_("NIK check"),
        total=len(niks),
        result_template="dashboard/_nik_bulk_result.html",
        payload={"niks": niks},
    )
    language = (get_language() or "id")[:2]
    transaction.on_commit(lambda: nik_bulk_check.enqueue(str(progress.pk), language))
    return progress
