"""Duplicates in the browser: the entry form warns a regency officer typing someone already
registered; the province confirms a pair from its review queue."""

import datetime

import pytest

from pulih.dedup.models import Entity, MatchPair
from pulih.registry.services import person_create
from pulih.wilayah.models import Village

from .test_import_and_approve import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def village(district):
    return Village.objects.filter(district_id=district).order_by("code").first().code


def siti(personas, district="19.01.01", **changes):
    fields = {
        "name": "Siti Aminah",
        "nik": "1901014107800003",
        "birth_date": datetime.date(1980, 7, 1),
        "sex": "F",
        "phone": "081234567890",
        **changes,
    }
    return person_create(user=personas.kab_bangka, village_code=village(district), **fields)


def test_entry_form_warns_of_a_person_already_registered(live_server, personas, page):
    siti(personas)
    sign_in(page, live_server.url, "kab-bangka")
    page.goto(f"{live_server.url}/registri/entri/")
    page.fill("#id_nik", "1901014107800033")
    page.fill("#id_name", "Sitti Aminah")
    page.fill("#id_phone", "081234567890")
    panel = page.locator("#duplicate-check")
    panel.get_by_text("Siti Aminah").wait_for(timeout=15_000)
    assert "1901" in panel.inner_text(), "the candidate's NIK is shown, masked"


def test_province_confirms_a_pair_from_its_review_queue(live_server, personas, page):
    first = siti(personas)
    second = siti(personas, district="19.01.02", name="Sitti Aminah", nik="")
    pair = MatchPair(left=first, right=second, probability=0.8, status=MatchPair.Status.REVIEW)
    pair.set_region("19.01")
    pair.save()
    sign_in(page, live_server.url, "prov-babel")
    page.goto(f"{live_server.url}/duplikat/tinjau/")
    page.click(f"a[href='/duplikat/pasangan/{pair.pk}/']")
    page.wait_for_selector("tr.differs")
    page.fill("textarea[name=note]", "NIK dan tanggal lahir sama")
    page.click("button[data-action=confirm]")
    page.wait_for_url(f"{live_server.url}/duplikat/tinjau/")
    pair.refresh_from_db()
    assert pair.status == MatchPair.Status.CONFIRMED
    assert Entity.objects.filter(members__person=first).get() == Entity.objects.get(
        members__person=second
    )
