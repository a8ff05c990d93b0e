"""Registry lists and record pages: each officer sees the records of their area, and no one
else sees them at all.

The records (see `registry_records`): Kabupaten Bangka (19.01) holds Siti in Sungailiat
(19.01.01, one of the field assistant's districts) and Budi in Merawang (19.01.03, not
theirs); Kabupaten Belitung (19.02) holds Rina. kab-belitung must never see Bangka's.
"""

import datetime
import types

import pytest
from django.urls import reverse

from pulih.accounts.models import User
from pulih.core.models import AccessLog
from pulih.registry import selectors
from pulih.registry.models import CollectionBatch, Person
from pulih.registry.services import (
    batch_transition,
    business_create,
    cooperative_create,
    impact_report_create,
    person_create,
)

pytestmark = pytest.mark.django_db

OUTSIDERS = ("kurator", "pembeli_kf", "asn_demo")
LIST_PAGES = (
    "registry:business_list",
    "registry:person_list",
    "registry:cooperative_list",
    "registry:batch_list",
)


def registry_records(personas, villages):
    """Two people and businesses in Bangka, one in Belitung, a cooperative in each."""
    bangka, belitung = personas.kab_bangka, personas.kab_belitung
    siti = person_create(
        user=bangka,
        village_code=villages["19.01.01"],
        name="Siti Aminah",
        nik="1901014107800003",
        birth_date=datetime.date(1980, 7, 1),
        sex="F",
        phone="081234567890",
    )
    budi = person_create(
        user=bangka,
        village_code=villages["19.01.03"],
        name="Budi Santoso",
        nik="1901031203750001",
        phone="081298765432",
    )
    rina = person_create(
        user=belitung, village_code=villages["19.02.01"], name="Rina Wati", nik="1902015505850002"
    )
    kerupuk = business_create(
        user=bangka,
        owner=siti,
        name="Kerupuk Ikan Bu Siti",
        nib="9120001234567",
        kbli_section="C",
        capital=50_000_000,
        whatsapp="081234567890",
    )
    # A name an attacker chose so that it runs in the officer's spreadsheet.
    warung = business_create(
        user=bangka,
        owner=budi,
        name='=HYPERLINK("http://evil.example","klik")',
        kbli_section="G",
        capital=2_000_000_000,
    )
    kopi = business_create(user=belitung, owner=rina, name="Kopi Belitong", kbli_section="I")
    for business, date, status in (
        (kerupuk, datetime.date(2020, 4, 1), "operating"),
        (kerupuk, datetime.date(2020, 4, 20), "reduced"),
        (warung, datetime.date(2020, 4, 20), "closed"),
        (kopi, datetime.date(2020, 4, 20), "reduced"),
    ):
        impact_report_create(user=bangka, business=business, report_date=date, status=status)
    nelayan = cooperative_create(
        user=bangka,
        village_code=villages["19.01.01"],
        name="Koperasi Nelayan Sungailiat",
        kind="produsen",
        chair=siti,
        members=40,
    )
    tani = cooperative_create(
        user=belitung, village_code=villages["19.02.01"], name="Koperasi Tani Belitong", kind="jasa"
    )
    return types.SimpleNamespace(
        siti=siti,
        budi=budi,
        rina=rina,
        kerupuk=kerupuk,
        warung=warung,
        kopi=kopi,
        nelayan=nelayan,
        tani=tani,
        bangka_batch=siti.batch,
        belitung_batch=rina.batch,
    )


@pytest.fixture
def records(personas, villages):
    return registry_records(personas, villages)


@pytest.fixture
def without_personal_data(monkeypatch):
    """Officers as if their role could not see NIKs and phones: the masking paths."""
    monkeypatch.setattr(User, "sees_personal_data", property(lambda user: False))


def names(client, url_name, **query):
    response = client.get(reverse(url_name), query)
    assert response.status_code == 200
    return {record.name for record in response.context["page"]}


def test_regency_officer_sees_only_their_own_regencys_records(personas, records, login):
    client = login(personas.kab_bangka)
    assert names(client, "registry:business_list") == {records.kerupuk.name, records.warung.name}
    assert names(client, "registry:person_list") == {"Siti Aminah", "Budi Santoso"}
    assert names(client, "registry:cooperative_list") == {"Koperasi Nelayan Sungailiat"}
    client = login(personas.kab_belitung)
    assert names(client, "registry:business_list") == {"Kopi Belitong"}
    assert names(client, "registry:person_list") == {"Rina Wati"}


def test_province_officer_sees_every_regency_of_the_province(personas, records, login):
    client = login(personas.prov_babel)
    assert names(client, "registry:business_list") == {
        records.kerupuk.name,
        records.warung.name,
        "Kopi Belitong",
    }
    assert names(client, "registry:cooperative_list") == {
        "Koperasi Nelayan Sungailiat",
        "Koperasi Tani Belitong",
    }


def test_field_assistant_sees_only_records_in_their_districts(personas, records, login):
    client = login(personas.pendamping_bangka)
    assert names(client, "registry:business_list") == {"Kerupuk Ikan Bu Siti"}
    assert names(client, "registry:person_list") == {"Siti Aminah"}
    budi = reverse("registry:person_detail", args=[records.budi.pk])
    assert client.get(budi).status_code == 404


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_curators_buyers_and_civil_servants_find_no_registry_pages(
    personas, records, login, outsider, url_name
):
    client = login(getattr(personas, outsider))
    assert client.get(reverse(url_name)).status_code == 404


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_curators_buyers_and_civil_servants_cannot_open_a_record(
    personas, records, login, outsider
):
    client = login(getattr(personas, outsider))
    assert (
        client.get(reverse("registry:business_detail", args=[records.kerupuk.pk])).status_code
        == 404
    )
    assert client.get(reverse("registry:person_detail", args=[records.siti.pk])).status_code == 404


@pytest.mark.parametrize(
    ("url_name", "record"),
    [
        ("registry:business_detail", "kerupuk"),
        ("registry:person_detail", "siti"),
        ("registry:cooperative_detail", "nelayan"),
    ],
)
def test_officer_of_another_regency_gets_404_for_a_record(
    personas, records, login, url_name, record
):
    client = login(personas.kab_belitung)
    url = reverse(url_name, args=[getattr(records, record).pk])
    assert client.get(url).status_code == 404
    assert login(personas.kab_bangka).get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(records, client):
    response = client.get(reverse("registry:business_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_business_page_shows_owner_reports_and_batch_and_logs_the_owners_data_view(
    personas, records, login
):
    client = login(personas.kab_bangka)
    response = client.get(reverse("registry:business_detail", args=[records.kerupuk.pk]))
    page = response.content.decode()
    assert "Siti Aminah" in page
    assert "1901014107800003" in page
    assert "+6281234567890" in page
    assert "Rp 50.000.000" in page
    assert "20 April 2020" in page and "1 April 2020" in page
    assert f"/registri/tahap/{records.bangka_batch.pk}/" in page
    log = AccessLog.objects.get(user=personas.kab_bangka)
    assert (log.object_type, log.object_id) == ("registry.person", str(records.siti.pk))


def test_person_page_shows_nik_validity_with_its_reasons_and_logs_the_view(
    personas, villages, login
):
    person = person_create(
        user=personas.kab_bangka,
        village_code=villages["19.01.01"],
        name="Ahmad Typo",
        nik="1901019902800001",
    )
    client = login(personas.kab_bangka)
    response = client.get(reverse("registry:person_detail", args=[person.pk]))
    assert response.context["person"].nik_valid is False
    assert len(response.context["nik_reasons"]) == 1
    assert "41–71" in response.content.decode()
    assert AccessLog.objects.filter(
        object_type="registry.person", object_id=str(person.pk)
    ).exists()


def test_person_page_hides_nik_reasons_and_digits_from_roles_without_personal_data(
    personas, records, login, without_personal_data
):
    client = login(personas.kab_bangka)
    response = client.get(reverse("registry:person_detail", args=[records.siti.pk]))
    page = response.content.decode()
    assert "1901014107800003" not in page
    assert "1901********0003" in page
    assert response.context["nik_reasons"] == []


def test_lists_mask_nik_for_roles_without_personal_data(
    personas, records, login, without_personal_data
):
    page = login(personas.kab_bangka).get(reverse("registry:business_list")).content.decode()
    assert "1901014107800003" not in page
    assert "1901********0003" in page


def test_lists_show_full_nik_to_officers(personas, records, login):
    page = login(personas.kab_bangka).get(reverse("registry:person_list")).content.decode()
    assert "1901014107800003" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kerupuk", {"Kerupuk Ikan Bu Siti"}),
        ("budi", {'=HYPERLINK("http://evil.example","klik")'}),
        ("1901014107800003", {"Kerupuk Ikan Bu Siti"}),
        ("9120001234567", {"Kerupuk Ikan Bu Siti"}),
        ("19010141", set()),
    ],
)
def test_business_search_matches_names_nib_and_exact_nik(personas, records, login, query, expected):
    assert names(login(personas.prov_babel), "registry:business_list", q=query) == expected


def test_nik_search_finds_nothing_for_roles_without_personal_data(
    personas, records, without_personal_data
):
    found = selectors.business_list(viewer=personas.kab_bangka, query="1901014107800003")
    assert list(found) == []
    assert list(selectors.person_list(viewer=personas.kab_bangka, query="1901014107800003")) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"impact_status": "reduced"}, {"Kerupuk Ikan Bu Siti", "Kopi Belitong"}),
        # Kerupuk's earlier report said operating; only the latest counts.
        ({"impact_status": "operating"}, set()),
        ({"kbli_section": "G"}, {'=HYPERLINK("http://evil.example","klik")'}),
        ({"scale": "small"}, {'=HYPERLINK("http://evil.example","klik")'}),
        ({"regency": "19.02"}, {"Kopi Belitong"}),
        (
            {"regency": "19.01", "district": "19.01.03"},
            {'=HYPERLINK("http://evil.example","klik")'},
        ),
        ({"stage": 2}, set()),
        ({"batch_status": "draft", "province": "19", "regency": "19.02"}, {"Kopi Belitong"}),
    ],
)
def test_business_filters(personas, records, login, filters, expected):
    assert names(login(personas.prov_babel), "registry:business_list", **filters) == expected


def test_a_business_with_several_impact_reports_is_listed_once(personas, records):
    businesses = selectors.business_list(viewer=personas.kab_bangka)
    assert [b.name for b in businesses].count("Kerupuk Ikan Bu Siti") == 1
    kerupuk = next(b for b in businesses if b.pk == records.kerupuk.pk)
    assert kerupuk.latest_impact_status == "reduced"


def test_region_filter_cannot_reach_outside_the_scope(personas, records, login):
    client = login(personas.kab_belitung)
    assert names(client, "registry:business_list", regency="19.01") == {"Kopi Belitong"}
    found = selectors.business_list(viewer=personas.kab_belitung, regency="19.01")
    assert list(found) == []


def test_region_selects_offer_only_the_viewers_area(personas, records, login):
    form = login(personas.kab_bangka).get(reverse("registry:business_list")).context["form"]
    assert [code for code, _ in form.fields["province"].choices] == ["19"]
    assert [code for code, _ in form.fields["regency"].choices] == ["19.01"]
    form = login(personas.pendamping_bangka).get(reverse("registry:person_list")).context["form"]
    assert [code for code, _ in form.fields["district"].choices] == [
        "",
        "19.01.01",
        "19.01.02",
        "19.01.05",
    ]
    form = login(personas.prov_babel).get(reverse("registry:person_list")).context["form"]
    assert [code for code, _ in form.fields["province"].choices] == ["19"]
    assert len(form.fields["regency"].choices) == 8  # blank + the 7 regencies and cities


def test_person_list_filters_by_nik_validity(personas, records, villages, login):
    person_create(
        user=personas.kab_bangka,
        village_code=villages["19.01.01"],
        name="Ahmad Typo",
        nik="1901019902800001",
    )
    client = login(personas.kab_bangka)
    assert names(client, "registry:person_list", nik_valid="0") == {"Ahmad Typo"}
    assert names(client, "registry:person_list", nik_valid="1") == {"Siti Aminah", "Budi Santoso"}


def test_cooperative_list_and_page_show_the_chair(personas, records, login):
    client = login(personas.kab_bangka)
    assert names(client, "registry:cooperative_list", kind="produsen") == {
        "Koperasi Nelayan Sungailiat"
    }
    assert names(client, "registry:cooperative_list", kind="jasa") == set()
    page = client.get(reverse("registry:cooperative_detail", args=[records.nelayan.pk]))
    assert "Siti Aminah" in page.content.decode()


def test_batch_list_counts_records_and_links_to_each_batch_page(personas, records, login):
    batch_transition(batch=records.bangka_batch, user=personas.kab_bangka, action="submit")
    response = login(personas.prov_babel).get(reverse("registry:batch_list"))
    batches = {b.regency_code: b for b in response.context["page"]}
    bangka = batches["19.01"]
    assert (bangka.people, bangka.businesses, bangka.cooperatives) == (2, 2, 1)
    assert bangka.status == CollectionBatch.Status.SUBMITTED
    assert (batches["19.02"].people, batches["19.02"].businesses) == (1, 1)
    assert f'href="/registri/tahap/{bangka.pk}/"' in response.content.decode()


def test_batch_list_shows_only_the_batches_of_the_viewers_area(personas, records, login):
    response = login(personas.kab_belitung).get(reverse("registry:batch_list"))
    assert [b.regency_code for b in response.context["page"]] == ["19.02"]
    filtered = login(personas.prov_babel).get(
        reverse("registry:batch_list"), {"status": "approved"}
    )
    assert list(filtered.context["page"]) == []


def test_list_page_counts_only_up_to_the_cap_and_still_pages_on(personas, records, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    people = selectors.person_list(viewer=personas.prov_babel)
    first = selectors.list_page(people, 1, per_page=1)
    assert (first.count, first.count_capped, first.has_next) == (1, True, True)
    third = selectors.list_page(people, 3, per_page=1)
    assert ([p.name for p in third], third.has_next) == (["Siti Aminah"], False)


def test_list_page_past_the_end_shows_the_last_page(personas, records):
    page = selectors.list_page(selectors.person_list(viewer=personas.prov_babel), "99", per_page=2)
    assert (page.number, page.num_pages, page.count) == (2, 2, 3)
    assert selectors.list_page(Person.objects.none(), "x").number == 1


def test_list_page_is_paginated_in_the_page(personas, villages, login):
    for number in range(51):
        person_create(
            user=personas.kab_bangka, village_code=villages["19.01.01"], name=f"Orang {number:02d}"
        )
    client = login(personas.kab_bangka)
    first = client.get(reverse("registry:person_list"), {"q": "orang"})
    assert len(first.context["page"]) == 50
    assert "page=2" in first.content.decode() and "q=orang" in first.content.decode()
    second = client.get(reverse("registry:person_list"), {"q": "orang", "page": 2})
    assert [p.name for p in second.context["page"]] == ["Orang 50"]


def test_every_list_renders_for_every_officer(personas, records, login):
    for persona in ("pusat", "prov_babel", "kab_bangka", "pendamping_bangka"):
        client = login(getattr(personas, persona))
        for url_name in LIST_PAGES:
            assert client.get(reverse(url_name)).status_code == 200, (persona, url_name)
