"""The field entry form: drafts, the live NIK check, duplicate warnings that never leak."""

import pytest
from django.urls import reverse

from pulih.registry.models import Business, EntryDraft, ImpactReport, Person
from pulih.registry.services import person_create

pytestmark = pytest.mark.django_db

NIK_SUNGAILIAT_WOMAN = "1901014107800003"  # 19.01.01, 1 July 1980, female


def form_data(village, **extra):
    return {
        "nik": NIK_SUNGAILIAT_WOMAN,
        "name": "Siti Aminah",
        "birth_date": "1980-07-01",
        "sex": "F",
        "phone": "0812-3456-7890",
        "province": "19",
        "regency": "19.01",
        "district": village[:8],
        "village": village,
        "business_name": "Kerupuk Ikan Bu Siti",
        "kbli_section": "C",
        "capital": "15000000",
        "annual_sales": "120000000",
        "report_date": "2020-04-20",
        "status": "reduced",
        "sales_before": "10000000",
        "sales_after": "3000000",
        "problems": ["demand_drop", "capital"],
        "needs": ["capital"],
        **extra,
    }


def test_field_assistant_records_a_business_from_a_phone(personas, villages, login):
    client = login(personas.pendamping_bangka)
    response = client.post(reverse("registry:entry"), form_data(villages["19.01.01"]))
    assert response.status_code == 302
    business = Business.objects.get()
    assert business.owner.nik == NIK_SUNGAILIAT_WOMAN
    assert business.owner.nik_valid
    assert business.owner.phone == "+6281234567890"
    assert business.scale == "micro"
    assert business.district_code == "19.01.01"
    impact = ImpactReport.objects.get()
    assert (impact.status, impact.problems) == ("reduced", ["demand_drop", "capital"])


def test_field_assistant_cannot_record_outside_their_districts(personas, villages, login):
    client = login(personas.pendamping_bangka)
    data = form_data(villages["19.01.03"], district="19.01.03")
    response = client.post(reverse("registry:entry"), data)
    assert response.status_code == 200
    assert "Desa ini berada di luar wilayah kerja Anda." in response.content.decode()
    assert not Business.objects.exists()


def test_a_bad_phone_is_refused_and_nothing_is_lost(personas, villages, login):
    client = login(personas.pendamping_bangka)
    response = client.post(reverse("registry:entry"), form_data(villages["19.01.01"], phone="12"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Kerupuk Ikan Bu Siti"' in html, "what was typed stays in the form"
    assert not Person.objects.exists()


def test_draft_saves_a_half_filled_form_and_resumes_it(personas, villages, login):
    client = login(personas.pendamping_bangka)
    response = client.post(
        reverse("registry:entry"), {"name": "Siti", "problems": ["capital"], "save_draft": "1"}
    )
    draft = EntryDraft.objects.get(author=personas.pendamping_bangka)
    assert response["Location"].endswith(f"?draf={draft.pk}")
    assert draft.data == {"name": "Siti", "problems": ["capital"]}
    page = client.get(response["Location"]).content.decode()
    assert 'value="Siti"' in page
    client.post(
        reverse("registry:entry"), {**form_data(villages["19.01.01"]), "draft_id": draft.pk}
    )
    assert not EntryDraft.objects.exists(), "the draft goes once the entry is saved"


def test_someone_elses_draft_is_not_found(personas, villages, login):
    draft = EntryDraft.objects.create(author=personas.kab_bangka, data={"name": "X"})
    client = login(personas.pendamping_bangka)
    assert client.get(reverse("registry:entry"), {"draf": draft.pk}).status_code == 404


def test_live_nik_check_decodes_and_flags_disagreements(personas, villages, login):
    client = login(personas.pendamping_bangka)
    html = client.post(
        reverse("registry:entry_nik_check"),
        {"nik": NIK_SUNGAILIAT_WOMAN, "birth_date": "1980-07-02", "sex": "M"},
    ).content.decode()
    assert "Sungailiat" in html
    assert "1 Juli 1980" in html
    assert "Tanggal lahir yang diketik berbeda dengan yang ada di NIK." in html
    assert "Jenis kelamin yang dipilih berbeda dengan yang ada di NIK." in html


def test_duplicate_nik_in_scope_shows_the_record(personas, villages, login):
    person_create(
        user=personas.kab_bangka,
        village_code=villages["19.01.01"],
        name="Siti Aminah",
        nik=NIK_SUNGAILIAT_WOMAN,
    )
    client = login(personas.pendamping_bangka)
    html = client.post(
        reverse("registry:entry_nik_check"), {"nik": NIK_SUNGAILIAT_WOMAN}
    ).content.decode()
    assert "Siti Aminah" in html


def test_duplicate_nik_outside_scope_says_only_that_it_exists(personas, villages, login):
    person_create(
        user=personas.kab_belitung,
        village_code=villages["19.02.01"],
        name="Siti Rahasia",
        nik=NIK_SUNGAILIAT_WOMAN,
    )
    client = login(personas.pendamping_bangka)
    html = client.post(
        reverse("registry:entry_nik_check"), {"nik": NIK_SUNGAILIAT_WOMAN}
    ).content.decode()
    assert "NIK ini sudah terdaftar di tempat lain dalam registri." in html
    assert "Siti Rahasia" not in html
    assert villages["19.02.01"] not in html


def test_same_nik_in_the_regency_links_the_new_business_to_the_person(personas, villages, login):
    client = login(personas.pendamping_bangka)
    client.post(reverse("registry:entry"), form_data(villages["19.01.01"]))
    client.post(
        reverse("registry:entry"), form_data(villages["19.01.01"], business_name="Lada Putih")
    )
    assert Person.objects.count() == 1
    assert Business.objects.count() == 2


def test_entry_form_is_not_there_for_buyers(personas, login):
    assert login(personas.pembeli_kf).get(reverse("registry:entry")).status_code == 404


def test_live_nik_check_is_not_there_for_buyers_or_province_officers(personas, login):
    url = reverse("registry:entry_nik_check")
    assert login(personas.pembeli_kf).post(url, {"nik": NIK_SUNGAILIAT_WOMAN}).status_code == 404
    assert login(personas.prov_babel).post(url, {"nik": NIK_SUNGAILIAT_WOMAN}).status_code == 404
