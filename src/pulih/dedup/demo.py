"""The demo's deduplication: Bangka Belitung's regencies merged by the province, so the
people registered in two regencies are already entities and the uncertain pairs wait in
prov-babel's review queue."""

from pulih.accounts.models import User

from .models import DedupRun
from .services import REVIEW_FLOOR, THRESHOLD, run_execute

PROVINCE = "19"


def dedup_demo_create():
    """Run once over province 19 (again only if no run finished there yet)."""
    done = DedupRun.objects.filter(province_code=PROVINCE, status=DedupRun.Status.DONE)
    if done.exists():
        return done.first(), False
    run = DedupRun.objects.create(
        province_code=PROVINCE,
        threshold=THRESHOLD,
        review_floor=REVIEW_FLOOR,
        created_by=User.objects.filter(username="prov-babel").first(),
    )
    return run_execute(run=run), True
