"""Raw-material matching: a curated producer's material needs matched to verified
suppliers, those covering the need first, then the nearest; officers work through the
introductions.

The case: a cloth-mask maker in Bangka (no coordinates: Pangkalpinang is its position)
needs 2,000 m of cotton fabric a month. Verified suppliers of cotton: Palembang (10,000 m),
Jakarta (50,000 m) and Pangkalpinang itself (500 m, too little); Bandung's (100,000 m)
is not verified. Expected: Palembang, Jakarta, then Pangkalpinang; Bandung never.

Who may do what: kab-bangka and prov-babel propose and follow Bangka's matches;
prov-jateng finds none of them; the seller umkm-masker reads its own business's matches
only and changes nothing; curators and buyers see none.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from pulih.matching import materials
from pulih.matching.models import MaterialMatch
from pulih.production import suppliers
from pulih.production.models import Declaration, DeclarationMaterial, Material

pytestmark = pytest.mark.django_db

Status = MaterialMatch.Status


def material(code):
    return Material.objects.get(code=code)


def supplier(pusat, name, region_code, capacities, *, verified=True):
    made = suppliers.supplier_create(
        user=pusat,
        name=name,
        region_code=region_code,
        materials=[(material(code), capacity) for code, capacity in capacities.items()],
    )
    if verified:
        suppliers.supplier_verify(
            user=pusat, supplier=made, verified=True, verified_by="Ditjen IKMA, Kemenperin"
        )
    return made


def needs(declaration, **quantities):
    for code, quantity in quantities.items():
        DeclarationMaterial.objects.create(
            declaration=declaration, material=material(code), monthly_quantity=quantity
        )
    return declaration


@pytest.fixture
def cotton(personas):
    pusat = personas.pusat
    return {
        "palembang": supplier(pusat, "PT Tekstil Sriwijaya", "16.71", {"kain-katun": 10_000}),
        "jakarta": supplier(pusat, "PT Katun Ibukota", "31.71", {"kain-katun": 50_000}),
        "pangkalpinang": supplier(pusat, "UD Kain Timah", "19.71", {"kain-katun": 500}),
        "bandung": supplier(
            pusat, "CV Kain Priangan", "32.73", {"kain-katun": 100_000}, verified=False
        ),
    }


@pytest.fixture
def bangka(make_producer):
    return needs(
        make_producer("19.01.01", "masker-kain", name="Konveksi Bangka"), **{"kain-katun": 2_000}
    )


def ranked(matches, code="kain-katun"):
    return [m.supplier.name for m in matches if m.material.code == code]


def test_a_nearer_supplier_that_covers_the_need_comes_first(personas, cotton, bangka):
    matches = materials.material_matches_propose(user=personas.kab_bangka, declaration=bangka)
    assert ranked(matches) == ["PT Tekstil Sriwijaya", "PT Katun Ibukota", "UD Kain Timah"]
    assert [m.rank for m in matches] == [1, 2, 3]
    assert all(m.status == Status.PROPOSED for m in matches)
    by_name = {m.supplier.name: m for m in matches}
    # Pangkalpinang is nearest (0 km: the producer is placed at its province capital) but
    # cannot cover 2,000 m a month; it is still shown, after the others.
    assert by_name["UD Kain Timah"].distance_km == 0
    assert (
        100 < by_name["PT Tekstil Sriwijaya"].distance_km < by_name["PT Katun Ibukota"].distance_km
    )
    assert (by_name["UD Kain Timah"].need, by_name["UD Kain Timah"].capacity) == (2_000, 500)
    assert {m.province_code for m in matches} == {"19"}


def test_unverified_suppliers_are_never_matched(personas, cotton, bangka):
    matches = materials.material_matches_propose(
        user=personas.kab_bangka, declaration=bangka, per_material=10
    )
    assert "CV Kain Priangan" not in ranked(matches)
    suppliers.supplier_verify(
        user=personas.pusat, supplier=cotton["palembang"], verified=False, verified_by="Kemenperin"
    )
    # A proposal made before the supplier lost its verification is no longer shown...
    assert "PT Tekstil Sriwijaya" not in ranked(materials.material_match_list(user=personas.pusat))
    # ...and proposing again leaves it out.
    matches = materials.material_matches_propose(
        user=personas.kab_bangka, declaration=bangka, per_material=10
    )
    assert ranked(matches) == ["PT Katun Ibukota", "UD Kain Timah"]


def test_the_producers_own_coordinates_are_used_when_known(personas, cotton, bangka):
    business = bangka.business
    business.latitude, business.longitude = -6.2, 106.8  # the workshop moved to Jakarta
    business.save()
    matches = materials.material_matches_propose(user=personas.kab_bangka, declaration=bangka)
    assert ranked(matches)[0] == "PT Katun Ibukota"


def test_each_material_gets_its_own_ranking_limited_per_material(personas, cotton, make_producer):
    supplier(personas.pusat, "PT Karet Bangka", "19.01", {"karet-elastis": 20_000})
    declaration = needs(make_producer("19.01.01"), **{"kain-katun": 1_000, "karet-elastis": 900})
    matches = materials.material_matches_propose(
        user=personas.kab_bangka, declaration=declaration, per_material=2
    )
    assert ranked(matches) == ["PT Tekstil Sriwijaya", "PT Katun Ibukota"]
    assert ranked(matches, "karet-elastis") == ["PT Karet Bangka"]


def test_proposing_again_keeps_the_matches_worked_on(personas, cotton, bangka):
    officer = personas.kab_bangka
    first = materials.material_matches_propose(user=officer, declaration=bangka)
    by_name = {m.supplier.name: m for m in first}
    materials.material_match_update(
        user=officer, match=by_name["PT Tekstil Sriwijaya"], status=Status.NO_DEAL, note="Harga"
    )
    materials.material_match_update(
        user=officer, match=by_name["PT Katun Ibukota"], status=Status.INTRODUCED
    )
    again = materials.material_matches_propose(user=officer, declaration=bangka, per_material=1)
    states = {(m.supplier.name, m.status, m.note) for m in again}
    assert states == {
        ("PT Tekstil Sriwijaya", Status.NO_DEAL, "Harga"),
        ("PT Katun Ibukota", Status.INTRODUCED, ""),
        ("UD Kain Timah", Status.PROPOSED, ""),
    }
    assert MaterialMatch.objects.filter(declaration=bangka).count() == 3


def test_only_curated_declarations_with_needs_are_matched(personas, cotton, make_producer):
    declared = needs(make_producer("19.01.01", status="declared"), **{"kain-katun": 10})
    without_needs = make_producer("19.01.01")
    for declaration, message in (
        (declared, materials.NOT_CURATED),
        (without_needs, materials.NO_NEEDS),
    ):
        with translation.override("en"), pytest.raises(ValidationError) as error:
            materials.material_matches_propose(user=personas.kab_bangka, declaration=declaration)
        with translation.override("en"):
            assert error.value.messages == [str(message)]
    assert not MaterialMatch.objects.exists()


def test_a_match_moves_forward_only(personas, cotton, bangka):
    officer = personas.kab_bangka
    match = materials.material_matches_propose(user=officer, declaration=bangka)[0]
    match = materials.material_match_update(
        user=officer, match=match, status=Status.INTRODUCED, note="Dikenalkan 9 April"
    )
    match = materials.material_match_update(
        user=officer, match=match, status=Status.AGREED, note="Kontrak 5.000 m/bulan"
    )
    for status in (Status.PROPOSED, Status.INTRODUCED, Status.NO_DEAL):
        with pytest.raises(ValidationError) as error:
            materials.material_match_update(user=officer, match=match, status=status)
        assert error.value.message_dict == {"status": [str(materials.STATUS_BACKWARDS)]}
    match.refresh_from_db()
    assert (match.status, match.note, match.updated_by) == (
        Status.AGREED,
        "Kontrak 5.000 m/bulan",
        officer,
    )


def test_no_introduction_to_a_supplier_no_longer_verified(personas, cotton, bangka):
    officer = personas.kab_bangka
    match = materials.material_matches_propose(user=officer, declaration=bangka)[0]
    suppliers.supplier_verify(
        user=personas.pusat, supplier=match.supplier, verified=False, verified_by="Kemenperin"
    )
    with pytest.raises(ValidationError):
        materials.material_match_update(user=officer, match=match, status=Status.INTRODUCED)
    match = materials.material_match_update(user=officer, match=match, status=Status.NO_DEAL)
    assert match.status == Status.NO_DEAL


def test_officers_of_another_province_find_no_bangka_match(personas, prov_jateng, cotton, bangka):
    match = materials.material_matches_propose(user=personas.prov_babel, declaration=bangka)[0]
    with pytest.raises(Http404):
        materials.material_matches_propose(user=prov_jateng, declaration=bangka)
    with pytest.raises(Http404):
        materials.material_match_update(user=prov_jateng, match=match, status=Status.INTRODUCED)
    with pytest.raises(Http404):
        materials.material_match_get(user=prov_jateng, pk=match.pk)
    assert not materials.material_match_list(user=prov_jateng).exists()
    assert not materials.match_declarations(user=prov_jateng).exists()


def test_the_seller_reads_only_its_own_matches(personas, cotton, bangka, sehati):
    Declaration.objects.filter(pk=sehati.pk).update(status=Declaration.Status.CURATED)
    needs(sehati, **{"kain-katun": 3_000})
    officer = personas.kab_bangka
    materials.material_matches_propose(user=officer, declaration=bangka)
    own = materials.material_matches_propose(user=officer, declaration=sehati)
    seller = personas.umkm_masker
    assert set(materials.material_match_list(user=seller)) == set(own)
    with pytest.raises(PermissionDenied):
        materials.material_matches_propose(user=seller, declaration=sehati)
    with pytest.raises(PermissionDenied):
        materials.material_match_update(user=seller, match=own[0], status=Status.AGREED)
    for user in (personas.kurator, personas.pembeli_kf):
        assert not materials.material_match_list(user=user).exists()


def test_proposing_for_every_curated_producer_of_the_area(personas, cotton, bangka, make_producer):
    belitung = needs(make_producer("19.02.01"), **{"kain-katun": 100})
    needs(make_producer("19.01.01", status="declared"), **{"kain-katun": 100})
    make_producer("19.01.01")  # curated, but names no material
    result = materials.material_matches_propose_all(user=personas.kab_bangka)
    assert result == {"declarations": 1, "proposed": 3}
    assert not MaterialMatch.objects.filter(declaration=belitung).exists()
    result = materials.material_matches_propose_all(user=personas.prov_babel, per_material=1)
    assert result == {"declarations": 2, "proposed": 2}
    with pytest.raises(ValidationError):
        materials.material_matches_propose_all(user=personas.prov_babel, per_material=0)


def test_the_list_of_producers_to_match_counts_their_matches(personas, cotton, bangka):
    officer = personas.kab_bangka
    match = materials.material_matches_propose(user=officer, declaration=bangka)[0]
    materials.material_match_update(user=officer, match=match, status=Status.INTRODUCED)
    [row] = materials.match_declarations(user=officer)
    assert (row, row.needs, row.proposed, row.worked) == (bangka, 1, 2, 1)


def test_matches_are_filtered_by_status_material_and_province(
    personas, cotton, bangka, make_producer
):
    supplier(personas.pusat, "PT Etanol Jateng", "33.01", {"etanol": 10_000})
    semarang = needs(make_producer("33.01.01", "hand-sanitizer"), etanol=500)
    officer = personas.pusat
    materials.material_matches_propose(user=officer, declaration=bangka)
    [etanol] = materials.material_matches_propose(user=officer, declaration=semarang)
    assert list(materials.material_match_list(user=officer, material=material("etanol"))) == [
        etanol
    ]
    assert list(materials.material_match_list(user=officer, province="33")) == [etanol]
    materials.material_match_update(user=officer, match=etanol, status=Status.INTRODUCED)
    assert list(materials.material_match_list(user=officer, status=Status.INTRODUCED)) == [etanol]
