"""Waves over the API: pusat opens a national wave, offers rice with its stock, adds a
drop-off point and publishes; a province officer runs only its province's waves.

Who may: pusat any wave; prov-babel sees the national wave but changing it is 403, and
Bangka Belitung's own waves are 404 to prov_jateng; kab-bangka, sellers, PICs and civil
servants may not write waves (404).
"""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone, translation

from pulih.accounts.services import token_issue
from pulih.market import products, waves
from pulih.market.models import Wave, WaveProduct

pytestmark = pytest.mark.django_db

API = "/api/v1/market"
KG = 1000


@pytest.fixture
def api(client):
    def call(user, method, path, body=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}
        if method == "get":
            return client.get(f"{API}{path}", body or {}, **headers)
        return getattr(client, method)(
            f"{API}{path}", body or {}, content_type="application/json", **headers
        )

    return call


def wave_body(organiser, **fields):
    opens = timezone.now() + datetime.timedelta(days=1)
    return {
        "title": "Gelombang Kedua",
        "organiser_id": organiser.pk,
        "opens_at": opens.isoformat(),
        "closes_at": (opens + datetime.timedelta(days=1)).isoformat(),
        "distribution_on": (opens + datetime.timedelta(days=3)).date().isoformat(),
        **fields,
    }


def test_a_wave_is_opened_stocked_and_published_over_the_api(personas, api, rice, other_pic):
    pusat = personas.pusat
    kemenkop = pusat.organisation
    made = api(pusat, "post", "/waves", wave_body(kemenkop, institution_ids=[kemenkop.pk]))
    assert made.status_code == 201, made.json()
    wave = made.json()
    assert (wave["status"], wave["province_code"], wave["institution_ids"]) == (
        "draft",
        "",
        [kemenkop.pk],
    )
    path = f"/waves/{wave['id']}"
    offer = api(pusat, "post", f"{path}/offers", {"product_id": rice.pk, "stock": "3000"})
    assert offer.status_code == 201, offer.json()
    assert (offer.json()["stock"], offer.json()["remaining"]) == (3000.0, 3000.0)
    point = {"cluster": "Klaster Smesco", "address": "Jl. Gatot Subroto", "pic_id": other_pic.pk}
    added = api(pusat, "post", f"{path}/drop-off-points", point)
    assert added.status_code == 201, added.json()
    published = api(pusat, "post", f"{path}/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    patched = api(pusat, "patch", path, {"title": "Gelombang Pertama", "max_packs_per_order": 10})
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["title"], patched.json()["max_packs_per_order"]) == (
        "Gelombang Pertama",
        10,
    )


def test_bad_wave_input_is_422_with_the_message(personas, api, wave, rice):
    pusat = personas.pusat
    opens = timezone.now() + datetime.timedelta(days=1)
    body = wave_body(
        pusat.organisation, closes_at=(opens - datetime.timedelta(hours=1)).isoformat()
    )
    with translation.override("id"):
        refused = api(pusat, "post", "/waves", body)
        assert refused.status_code == 422
        assert refused.json()["message"] == str(waves.WINDOW_BACKWARDS)
        WaveProduct.objects.filter(wave=wave).update(remaining_milli=F("remaining_milli") - 10 * KG)
        below = api(pusat, "post", f"/waves/{wave.pk}/offers", {"product_id": rice.pk, "stock": 5})
        assert below.status_code == 422
        sold = products.quantity_text(10 * KG, "kg")
        assert below.json()["message"] == waves.STOCK_BELOW_SOLD % {"sold": sold}
        point = {"cluster": "Klaster Baru", "address": "Jakarta", "pic_id": personas.asn_demo.pk}
        not_pic = api(pusat, "post", f"/waves/{wave.pk}/drop-off-points", point)
        assert not_pic.json()["message"] == str(waves.PIC_NOT_A_PIC)
    assert Wave.objects.count() == 1
    assert wave.offers.get().stock_milli == 3_000 * KG


def test_a_province_officer_may_not_change_a_national_wave(personas, api, wave, rice):
    prov = personas.prov_babel
    assert api(prov, "patch", f"/waves/{wave.pk}", {"title": "Diubah"}).status_code == 403
    assert api(prov, "post", f"/waves/{wave.pk}/close").status_code == 403
    mine = api(prov, "post", "/waves", wave_body(prov.organisation, province_code="33"))
    assert mine.status_code == 422
    made = api(prov, "post", "/waves", wave_body(prov.organisation))
    assert made.json()["province_code"] == "19"
    assert Wave.objects.get(pk=wave.pk).title == "Gelombang Beras Koperasi"


def test_others_get_404_for_wave_writes(personas, api, wave, prov_jateng, rice):
    Wave.objects.filter(pk=wave.pk).update(province_code="19")
    writes = [
        ("patch", f"/waves/{wave.pk}", {"title": "X"}),
        ("post", f"/waves/{wave.pk}/offers", {"product_id": rice.pk, "stock": 1}),
        (
            "post",
            f"/waves/{wave.pk}/drop-off-points",
            {"cluster": "X", "address": "X", "pic_id": 1},
        ),
        ("post", f"/waves/{wave.pk}/publish", None),
        ("post", f"/waves/{wave.pk}/close", None),
    ]
    for user in (
        prov_jateng,
        personas.koperasi_tanimulus,
        personas.pic_kemenkop,
        personas.asn_demo,
    ):
        for method, path, body in writes:
            assert api(user, method, path, body).status_code == 404, (user, path)
    for user in (personas.koperasi_tanimulus, personas.pic_kemenkop, personas.asn_demo):
        assert (
            api(user, "post", "/waves", wave_body(personas.pusat.organisation)).status_code == 404
        )
    # Bangka Belitung's regency officers see the province's wave but do not run it.
    assert (
        api(personas.kab_belitung, "patch", f"/waves/{wave.pk}", {"title": "X"}).status_code == 403
    )
    assert (
        api(personas.kab_belitung, "post", "/waves", wave_body(wave.organiser)).status_code == 403
    )
    assert Wave.objects.get(pk=wave.pk).title == "Gelombang Beras Koperasi"
