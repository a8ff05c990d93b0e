import time, random
import pytest
from pulih.matching import services
from pulih.wilayah.models import District
from tests.matching.test_demands import TODAY, demand_post
pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("n,points", [(80, 5), (330, 200)])
def test_timing(personas, make_producer, n, points):
    random.seed(1)
    districts = list(District.objects.order_by("?").values_list("code", flat=True)[:n])
    for d in districts:
        make_producer(d, capacity=random.randint(1000, 8000), price=random.randint(2500, 3500))
    per = 1_000_000 // points
    regions = list(District.objects.order_by("?").values_list("code", flat=True)[:points])
    pts = [{"name": f"Titik {i}", "region_code": regions[i], "quantity": per} for i in range(points)]
    pts[0]["quantity"] += 1_000_000 - per * points
    d = demand_post(personas.pusat, 1_000_000, points=pts, transport_rate=0.5)
    t = time.perf_counter()
    r = services.allocation_run(user=personas.pusat, demand=d, today=TODAY)
    total = time.perf_counter() - t
    print(f"\n{n} producers {points} points: solve {r.solve_ms} ms, whole run {total*1000:.0f} ms, lines {r.lines.count()}, status {r.status}, allocated {r.allocated}")
    t = time.perf_counter()
    r2 = services.allocation_run(user=personas.pusat, demand=d, today=TODAY, max_share_percent=5, min_lot=500)
    print(f"  with share 5% and min lot 500: solve {r2.solve_ms} ms, whole {1000*(time.perf_counter()-t):.0f} ms")
