"""Ids and numbers in a request that cannot be read are refused with a message or left
out, never a server error: "²" is a digit Python's `int` cannot read, and an id past
the database's range is no id.

Each page and endpoint here is used by the persona that may use it (prov-babel assigns,
umkm-masker and kab-bangka declare, kurator curates, pusat keeps suppliers).
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from pulih.accounts.services import token_issue
from pulih.production import services, suppliers
from pulih.production.models import Curation, Declaration, Material, Supplier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

UNREADABLE = ["²", "١٢x", "9" * 30, "9" * 5000, "-1", " "]
API = "/api/v1/production"


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("value", UNREADABLE)
def test_assigning_an_unreadable_declaration_id_says_nothing_was_chosen(
    personas, sehati, login, value
):
    response = login(personas.prov_babel).post(
        reverse("production:declarations_assign"),
        {"declaration": [value], "curator": personas.kurator.organisation_id},
    )
    assert response.status_code == 302
    assert str(services.NOTHING_CHOSEN) in flashed(response)
    sehati.refresh_from_db()
    assert sehati.curator is None


def test_an_unreadable_id_beside_a_real_one_is_left_out(personas, sehati, login):
    response = login(personas.prov_babel).post(
        reverse("production:declarations_assign"),
        {"declaration": ["²", sehati.pk], "curator": personas.kurator.organisation_id},
    )
    assert response.status_code == 302
    sehati.refresh_from_db()
    assert sehati.status == Declaration.Status.IN_CURATION


@pytest.mark.parametrize("value", UNREADABLE)
def test_the_declare_form_ignores_an_unreadable_business(personas, sehati, login, value):
    for user in (personas.umkm_masker, personas.kab_bangka):
        client = login(user)
        page = client.get(reverse("production:declaration_create"), {"business": value})
        assert page.status_code == 200
        posted = client.post(
            reverse("production:declaration_create"),
            {"business": value, "product_type": "", "monthly_capacity": "²"},
        )
        assert posted.status_code == 200
        assert posted.context["form"].errors["business"]
        assert posted.context["form"].errors["monthly_capacity"]
    assert Declaration.objects.count() == 1


@pytest.mark.parametrize("value", UNREADABLE)
def test_the_curation_form_with_an_unreadable_checklist_uses_the_current_one(
    personas, assigned, login, value
):
    checklist = services.checklist_current(assigned.product_type)
    data = {"checklist": value, "outcome": "", "reasons": ""}
    for criterion in checklist.criteria.all():
        if criterion.minimum is not None:
            data[f"c{criterion.pk}_value"] = str(criterion.minimum)
        else:
            data[f"c{criterion.pk}_passed"] = "yes"
    response = login(personas.kurator).post(
        reverse("production:curation_create", args=[assigned.pk]), data
    )
    assert response.status_code == 302
    assert Curation.objects.get().checklist == checklist


@pytest.mark.parametrize("value", UNREADABLE)
def test_list_and_licence_pages_read_unreadable_numbers_as_none(personas, sehati, login, value):
    client = login(personas.kab_bangka)
    for url, query in [
        (reverse("production:declaration_list"), {"page": value, "status": value}),
        (reverse("production:licence_list"), {"page": value, "product": value}),
        (reverse("production:licence_expiring"), {"hari": value}),
        (reverse("production:licence_record"), {"usaha": value}),
        (reverse("production:supplier_list"), {"page": value, "material": value}),
    ]:
        assert client.get(url, query).status_code == 200, url


def supplier_form(capacity):
    cotton = Material.objects.get(code="kain-katun")
    return {
        "name": "CV Katun Palembang",
        "province": "16",
        "regency": "16.71",
        f"capacity_{cotton.pk}": capacity,
    }


@pytest.mark.parametrize("capacity", ["²", "9" * 30, str(suppliers.MAX_CAPACITY + 1)])
def test_a_supplier_capacity_that_cannot_be_stored_is_refused(personas, login, capacity):
    response = login(personas.pusat).post(
        reverse("production:supplier_create"), supplier_form(capacity)
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Supplier.objects.exists()


# API ------------------------------------------------------------------------------------


@pytest.fixture
def api(client):
    def call(user, method, path, body):
        return getattr(client, method)(
            f"{API}{path}",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}",
        )

    return call


def test_the_api_refuses_ids_past_the_databases_range(personas, sehati, api):
    body = {"ids": [10**30], "curator_id": personas.kurator.organisation_id}
    response = api(personas.prov_babel, "post", "/declarations/assign", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ids.0"
    body = {"business_id": 10**30, "product": "masker-kain", "monthly_capacity": 1}
    assert api(personas.umkm_masker, "post", "/declarations", body).status_code == 404


def test_the_api_refuses_a_supplier_capacity_that_cannot_be_stored(personas, api):
    body = {
        "name": "PT Sriwijaya Nonwoven",
        "region_code": "16.71",
        "materials": [{"material": "spunbond", "monthly_capacity": 10**30}],
    }
    response = api(personas.pusat, "post", "/suppliers", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "materials"
    assert not Supplier.objects.exists()
