"""The pages of raw-material business matching: the producers to match, the proposals,
and the list of matches an officer works through.

Who may see what: kab-bangka works on Bangka's matches; the seller umkm-masker reads its
own business's (no forms); prov-jateng finds none of Bangka's; the curator and the buyer
find no page at all.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from pulih.matching import materials
from pulih.matching.models import MaterialMatch
from pulih.production import suppliers
from pulih.production.models import Declaration, DeclarationMaterial, Material

pytestmark = pytest.mark.django_db

Status = MaterialMatch.Status
LIST = reverse("matching:material_match_list")
PRODUCERS = reverse("matching:material_declaration_list")
PROPOSE_ALL = reverse("matching:material_matches_propose_all")


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def propose_url(declaration):
    return reverse("matching:material_matches_propose", args=[declaration.pk])


def update_url(match):
    return reverse("matching:material_match_update", args=[match.pk])


def with_need(declaration, code="kain-katun", quantity=2_000):
    DeclarationMaterial.objects.create(
        declaration=declaration, material=Material.objects.get(code=code), monthly_quantity=quantity
    )
    return declaration


@pytest.fixture
def palembang(personas):
    supplier = suppliers.supplier_create(
        user=personas.pusat,
        name="PT Tekstil Sriwijaya",
        region_code="16.71",
        materials=[(Material.objects.get(code="kain-katun"), 10_000)],
        contact_phone="081277889900",
    )
    return suppliers.supplier_verify(
        user=personas.pusat, supplier=supplier, verified=True, verified_by="Kemenperin"
    )


@pytest.fixture
def bangka(make_producer):
    return with_need(make_producer("19.01.01", name="Konveksi Bangka"))


@pytest.fixture
def match(personas, palembang, bangka):
    return materials.material_matches_propose(user=personas.kab_bangka, declaration=bangka)[0]


def test_the_officer_proposes_suppliers_for_a_producer(personas, login, palembang, bangka):
    client = login(personas.kab_bangka)
    page = client.get(PRODUCERS).content.decode()
    assert f'data-declaration="{bangka.pk}"' in page
    response = client.post(propose_url(bangka))
    assert response.status_code == 302
    assert response.url == f"{LIST}?declaration={bangka.pk}"
    [match] = MaterialMatch.objects.filter(declaration=bangka)
    assert match.supplier == palembang
    page = client.get(response.url).content.decode()
    assert f'data-match="{match.pk}"' in page
    assert "PT Tekstil Sriwijaya" in page and "+6281277889900" in page


def test_the_officer_proposes_for_every_producer_at_once(personas, login, palembang, bangka):
    response = login(personas.kab_bangka).post(PROPOSE_ALL)
    assert response.status_code == 302
    assert MaterialMatch.objects.filter(declaration=bangka).count() == 1


def test_a_producer_not_curated_is_refused_with_a_message(personas, login, palembang, bangka):
    Declaration.objects.filter(pk=bangka.pk).update(status=Declaration.Status.NEEDS_IMPROVEMENT)
    response = login(personas.kab_bangka).post(propose_url(bangka))
    with translation.override("id"):
        assert said(response) == [str(materials.NOT_CURATED)]
    assert not MaterialMatch.objects.exists()


def test_the_officer_works_through_a_match(personas, login, match):
    client = login(personas.kab_bangka)
    back = f"{LIST}?status=proposed"
    response = client.post(
        update_url(match), {"status": Status.INTRODUCED, "note": "Ditelepon 9/4", "next": back}
    )
    assert response.status_code == 302
    assert response.url == back
    match.refresh_from_db()
    assert (match.status, match.note) == (Status.INTRODUCED, "Ditelepon 9/4")


def test_going_back_is_refused_with_a_message(personas, login, match):
    materials.material_match_update(user=personas.kab_bangka, match=match, status=Status.AGREED)
    response = login(personas.kab_bangka).post(
        update_url(match), {"status": Status.PROPOSED, "next": "https://contoh.example/"}
    )
    assert response.url == LIST
    with translation.override("id"):
        assert said(response) == [str(materials.STATUS_BACKWARDS)]
    match.refresh_from_db()
    assert match.status == Status.AGREED


def test_the_list_is_filtered(personas, login, match):
    client = login(personas.kab_bangka)
    assert f'data-match="{match.pk}"' in client.get(LIST, {"status": "proposed"}).content.decode()
    assert f'data-match="{match.pk}"' not in client.get(LIST, {"status": "agreed"}).content.decode()
    etanol = Material.objects.get(code="etanol").pk
    assert f'data-match="{match.pk}"' not in client.get(LIST, {"material": etanol}).content.decode()
    assert f'data-match="{match.pk}"' not in client.get(LIST, {"province": "33"}).content.decode()


def test_another_province_finds_no_bangka_match(personas, prov_jateng, login, match, bangka):
    client = login(prov_jateng)
    assert f'data-match="{match.pk}"' not in client.get(LIST).content.decode()
    assert f'data-declaration="{bangka.pk}"' not in client.get(PRODUCERS).content.decode()
    assert client.post(update_url(match), {"status": Status.INTRODUCED}).status_code == 404
    assert client.post(propose_url(bangka)).status_code == 404
    match.refresh_from_db()
    assert match.status == Status.PROPOSED


def test_the_seller_reads_its_own_matches_without_forms(personas, login, palembang, sehati, match):
    Declaration.objects.filter(pk=sehati.pk).update(status=Declaration.Status.CURATED)
    own = materials.material_matches_propose(
        user=personas.kab_bangka, declaration=with_need(sehati)
    )[0]
    client = login(personas.umkm_masker)
    response = client.get(LIST)
    page = response.content.decode()
    assert f'data-match="{own.pk}"' in page
    assert f'data-match="{match.pk}"' not in page
    assert update_url(own) not in page
    assert client.post(update_url(own), {"status": Status.AGREED}).status_code == 404
    assert client.get(PRODUCERS).status_code == 404
    assert client.post(propose_url(sehati)).status_code == 404


def test_curators_and_buyers_find_no_matching_page(personas, login, match, bangka):
    for user in (personas.kurator, personas.pembeli_kf):
        client = login(user)
        assert client.get(LIST).status_code == 404
        assert client.get(PRODUCERS).status_code == 404
        assert client.post(update_url(match), {"status": Status.AGREED}).status_code == 404
        assert client.post(propose_url(bangka)).status_code == 404
        assert client.post(PROPOSE_ALL).status_code == 404
