"""The pages of raw-material suppliers.

Who may see what: pusat keeps the list (adds, changes, records verification); every
officer (prov-babel, kab-bangka, prov-jateng) reads it; the curator, the buyer and the
seller find no page at all.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from pulih.production import suppliers
from pulih.production.models import Material, Supplier

pytestmark = pytest.mark.django_db

LIST = reverse("production:supplier_list")
CREATE = reverse("production:supplier_create")


def material(code):
    return Material.objects.get(code=code)


@pytest.fixture
def sriwijaya(personas):
    return suppliers.supplier_create(
        user=personas.pusat,
        name="PT Sriwijaya Nonwoven",
        region_code="16.71",
        materials=[(material("spunbond"), 50_000)],
    )


def urls(supplier):
    return {
        "detail": reverse("production:supplier_detail", args=[supplier.pk]),
        "edit": reverse("production:supplier_edit", args=[supplier.pk]),
        "verify": reverse("production:supplier_verify", args=[supplier.pk]),
    }


def form_data(**fields):
    data = {
        "name": "CV Katun Palembang",
        "province": "16",
        "regency": "16.71",
        "address": "Jl. Merdeka 1",
        "contact_name": "Pak Anwar",
        "contact_phone": "081234567890",
        f"capacity_{material('kain-katun').pk}": "12000",
        f"capacity_{material('karet-elastis').pk}": "",
    }
    data.update(fields)
    return data


def shown(response, message):
    with translation.override("id"):
        return escape(str(message)) in response.content.decode()


def test_every_officer_reads_the_list_and_a_supplier(personas, prov_jateng, login, sriwijaya):
    for user in (personas.pusat, personas.prov_babel, personas.kab_bangka, prov_jateng):
        client = login(user)
        assert f'data-supplier="{sriwijaya.pk}"' in client.get(LIST).content.decode()
        assert client.get(urls(sriwijaya)["detail"]).status_code == 200


def test_other_roles_find_no_supplier_page(personas, login, sriwijaya):
    for user in (personas.kurator, personas.pembeli_kf, personas.umkm_masker):
        client = login(user)
        pages = urls(sriwijaya)
        for url in (LIST, CREATE, pages["detail"], pages["edit"]):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(urls(sriwijaya)["verify"], {"verified": "1"}).status_code == 404


def test_only_central_officers_add_change_and_verify(personas, login, sriwijaya):
    client = login(personas.prov_babel)
    assert client.get(CREATE).status_code == 404
    assert client.get(urls(sriwijaya)["edit"]).status_code == 404
    response = client.post(
        urls(sriwijaya)["verify"], {"verified": "1", "verified_by": "Dinas Perindustrian"}
    )
    assert response.status_code == 404
    sriwijaya.refresh_from_db()
    assert sriwijaya.status == Supplier.Status.PENDING
    assert 'id="supplier-verify"' not in client.get(urls(sriwijaya)["detail"]).content.decode()


def test_the_list_is_filtered_by_material(personas, login, sriwijaya):
    client = login(personas.prov_babel)
    page = client.get(LIST, {"material": material("etanol").pk}).content.decode()
    assert f'data-supplier="{sriwijaya.pk}"' not in page
    page = client.get(LIST, {"material": material("spunbond").pk}).content.decode()
    assert f'data-supplier="{sriwijaya.pk}"' in page


def test_a_central_officer_adds_a_supplier(personas, login):
    response = login(personas.pusat).post(CREATE, form_data())
    supplier = Supplier.objects.get()
    assert response.status_code == 302
    assert response.url == urls(supplier)["detail"]
    assert (supplier.name, supplier.regency_code, supplier.contact_phone) == (
        "CV Katun Palembang",
        "16.71",
        "+6281234567890",
    )
    assert [(o.material.code, o.monthly_capacity) for o in supplier.materials.all()] == [
        ("kain-katun", 12_000)
    ]


def test_a_supplier_needs_its_regency(personas, login):
    response = login(personas.pusat).post(CREATE, form_data(regency=""))
    assert "regency" in response.context["form"].errors
    assert not Supplier.objects.exists()


def test_a_negative_capacity_is_explained(personas, login):
    katun = material("kain-katun")
    response = login(personas.pusat).post(CREATE, form_data(**{f"capacity_{katun.pk}": "-5"}))
    with translation.override("id"):
        message = suppliers.CAPACITY_POSITIVE % {"material": katun.name}
    assert escape(message) in response.content.decode()
    assert not Supplier.objects.exists()


def test_a_supplier_without_materials_is_explained(personas, login):
    katun = material("kain-katun")
    response = login(personas.pusat).post(CREATE, form_data(**{f"capacity_{katun.pk}": ""}))
    assert shown(response, suppliers.MATERIALS_REQUIRED)
    assert not Supplier.objects.exists()


def test_an_invalid_phone_is_explained(personas, login):
    response = login(personas.pusat).post(CREATE, form_data(contact_phone="12"))
    assert "contact_phone" in response.context["form"].errors
    assert not Supplier.objects.exists()


def test_a_central_officer_changes_a_supplier(personas, login, sriwijaya):
    client = login(personas.pusat)
    form = client.get(urls(sriwijaya)["edit"]).context["form"]
    assert form["regency"].value() == "16.71"
    assert form[f"capacity_{material('spunbond').pk}"].value() == 50_000
    response = client.post(
        urls(sriwijaya)["edit"],
        form_data(name="PT Sriwijaya Nonwoven Tbk", **{f"capacity_{material('spunbond').pk}": "1"}),
    )
    assert response.status_code == 302
    sriwijaya.refresh_from_db()
    assert sriwijaya.name == "PT Sriwijaya Nonwoven Tbk"
    assert {o.material.code for o in sriwijaya.materials.all()} == {"spunbond", "kain-katun"}


def test_the_verification_is_recorded_on_the_page(personas, login, sriwijaya):
    client = login(personas.pusat)
    response = client.post(
        urls(sriwijaya)["verify"],
        {"verified": "1", "verified_by": "Ditjen IKMA", "verified_on": "2020-04-08"},
    )
    assert response.status_code == 302
    sriwijaya.refresh_from_db()
    assert (sriwijaya.status, sriwijaya.verified_by) == (Supplier.Status.VERIFIED, "Ditjen IKMA")
    response = client.post(urls(sriwijaya)["verify"], {"verified": "0", "verified_by": ""})
    assert response.status_code == 200
    sriwijaya.refresh_from_db()
    assert sriwijaya.status == Supplier.Status.VERIFIED
