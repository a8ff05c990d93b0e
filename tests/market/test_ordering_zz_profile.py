import cProfile, io, pstats, time
import pytest
from pulih.accounts.services import token_issue

pytestmark = pytest.mark.django_db

def test_profile(client, personas, wave, rice, settings):
    settings.MARKET_ORDERS_PER_MINUTE = 10**6
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    settings.MARKET_LIVE_ORDERS_PER_WAVE = 10**6
    token = token_issue(user=personas.asn_demo)
    pack = rice.packs.get(size_milli=5000).pk
    point = wave.drop_off_points.first().pk
    body = {"drop_off": point, "fulfilment": "collect", "items": [{"pack": pack, "quantity": 1}]}
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/v1/market/waves/{wave.pk}/orders"
    r = client.post(url, body, content_type="application/json", **h)
    print("\nstatus", r.status_code, r.content[:200])
    t = time.perf_counter()
    for i in range(50):
        client.post(url, body, content_type="application/json", **h)
    print("\nms per request", (time.perf_counter() - t) * 1000 / 50)
    pr = cProfile.Profile(); pr.enable()
    for i in range(50):
        client.post(url, body, content_type="application/json", **h)
    pr.disable()
    s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(25); print(s.getvalue())
