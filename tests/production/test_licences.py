"""Recording licences and following them to the ministry's decision.

Who may do what: kab-bangka and prov-babel record and decide the licences of Bangka's
producers; pendamping-bangka records applications of its districts' producers; the seller
umkm-masker (Konveksi Sehati) records and follows the applications of its own business,
never the decision, and sees only its own licences; prov-jateng sees nothing of Bangka.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from pulih.production import licences
from pulih.production.licences import licence_record, licence_update, licences_expiring
from pulih.production.models import Licence, ProductType

pytestmark = pytest.mark.django_db

Status = Licence.Status
TODAY = datetime.date(2020, 6, 1)


def record(user, declaration, **fields):
    values = {"kind": "sni", "issuer": "BSN", **fields}
    return licence_record(user=user, business=declaration.business, **values)


def granted(user, declaration, expires_on, **fields):
    return record(
        user,
        declaration,
        status=Status.GRANTED,
        number=f"SNI-{declaration.pk}-{expires_on:%Y%m%d}",
        granted_on=datetime.date(2019, 1, 1),
        expires_on=expires_on,
        **fields,
    )


def refused(call, **kwargs):
    """The field messages of a refusal, in Indonesian and English."""
    said = {}
    for language in ("id", "en"):
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                call(**kwargs)
            said[language] = error.value.message_dict
    return said


# Recording -----------------------------------------------------------------------------


def test_an_officer_records_a_granted_licence_in_the_region_of_the_business(
    personas, make_producer
):
    producer = make_producer("19.01.01", "hand-sanitizer")
    licence = record(
        personas.kab_bangka,
        producer,
        kind="izin_edar_pkrt",
        issuer="Kemenkes",
        status=Status.GRANTED,
        number="KEMENKES RI PKRT 20303200456",
        product_type=ProductType.objects.get(code="hand-sanitizer"),
        applied_on=datetime.date(2020, 4, 2),
        granted_on=datetime.date(2020, 4, 16),
        expires_on=datetime.date(2025, 4, 16),
    )
    business = producer.business
    assert (licence.province_code, licence.regency_code, licence.village_code) == (
        "19",
        "19.01",
        business.village_code,
    )
    assert licence.valid_on(datetime.date(2020, 6, 30))


def test_the_seller_records_an_application_of_its_own_business(personas, sehati):
    licence = record(personas.umkm_masker, sehati, applied_on=datetime.date(2020, 4, 10))
    assert licence.status == Status.APPLIED
    licence = licence_update(user=personas.umkm_masker, licence=licence, status=Status.IN_PROCESS)
    assert licence.status == Status.IN_PROCESS


def test_the_seller_cannot_record_the_ministrys_decision(personas, sehati):
    with pytest.raises(PermissionDenied) as error:
        record(personas.umkm_masker, sehati, status=Status.GRANTED, number="1", granted_on=TODAY)
    assert str(error.value) == str(licences.DECISION_BY_OFFICERS)
    licence = record(personas.umkm_masker, sehati)
    with pytest.raises(PermissionDenied):
        licence_update(user=personas.umkm_masker, licence=licence, status=Status.REJECTED)
    licence.refresh_from_db()
    assert licence.status == Status.APPLIED
    assert Licence.objects.count() == 1


def test_the_seller_cannot_change_a_decided_licence(personas, sehati):
    licence = granted(personas.kab_bangka, sehati, datetime.date(2021, 1, 1))
    with pytest.raises(PermissionDenied) as error:
        licence_update(user=personas.umkm_masker, licence=licence, note="diperpanjang")
    assert str(error.value) == str(licences.ALREADY_DECIDED)


def test_the_seller_cannot_record_for_another_business(personas, make_producer):
    other = make_producer("19.01.01")
    with pytest.raises(PermissionDenied):
        record(personas.umkm_masker, other)
    assert not Licence.objects.exists()


def test_an_officer_of_another_province_cannot_record_for_bangka(
    personas, prov_jateng, make_producer
):
    producer = make_producer("19.01.01")
    with pytest.raises(PermissionDenied):
        record(prov_jateng, producer)
    licence = record(personas.kab_bangka, producer)
    with pytest.raises(PermissionDenied):
        licence_update(user=prov_jateng, licence=licence, status=Status.IN_PROCESS)


def test_a_field_assistant_records_applications_but_not_decisions(personas, make_producer):
    district = personas.pendamping_bangka.district_codes()[0]
    producer = make_producer(district)
    licence = record(personas.pendamping_bangka, producer)
    with pytest.raises(PermissionDenied):
        licence_update(
            user=personas.pendamping_bangka,
            licence=licence,
            status=Status.GRANTED,
            number="SNI 1",
            granted_on=TODAY,
        )


def test_curators_and_buyers_record_no_licences(personas, sehati):
    for user in (personas.kurator, personas.pembeli_kf):
        with pytest.raises(PermissionDenied):
            record(user, sehati)


# Status and dates ----------------------------------------------------------------------


def test_a_licence_moves_from_application_to_decision(personas, sehati):
    officer = personas.kab_bangka
    licence = record(officer, sehati, applied_on=datetime.date(2020, 4, 1))
    licence = licence_update(user=officer, licence=licence, status=Status.IN_PROCESS)
    licence = licence_update(
        user=officer,
        licence=licence,
        status=Status.GRANTED,
        number="SNI 8914:2020/0042",
        granted_on=datetime.date(2020, 5, 4),
        expires_on=datetime.date(2024, 5, 4),
    )
    assert licence.status == Status.GRANTED
    assert licence.valid_on(datetime.date(2020, 6, 30))


def test_a_status_never_goes_back(personas, sehati):
    officer = personas.kab_bangka
    licence = record(officer, sehati, status=Status.IN_PROCESS)
    said = refused(licence_update, user=officer, licence=licence, status=Status.APPLIED)
    with translation.override("id"):
        assert said["id"] == {"status": [str(licences.STATUS_BACKWARDS)]}
    with translation.override("en"):
        assert said["en"] == {"status": [str(licences.STATUS_BACKWARDS)]}
    rejected = licence_update(user=officer, licence=licence, status=Status.REJECTED)
    for status in (Status.GRANTED, Status.APPLIED):
        with pytest.raises(ValidationError):
            licence_update(
                user=officer, licence=rejected, status=status, number="1", granted_on=TODAY
            )
    rejected.refresh_from_db()
    assert rejected.status == Status.REJECTED


def test_a_rejected_licence_is_applied_for_again_as_a_new_one(personas, sehati):
    officer = personas.kab_bangka
    first = record(officer, sehati, status=Status.REJECTED, note="Uji lab belum lengkap")
    second = record(personas.umkm_masker, sehati)
    assert {first.status, second.status} == {Status.REJECTED, Status.APPLIED}


def test_a_granted_licence_needs_its_number_and_date(personas, sehati):
    said = refused(record, user=personas.kab_bangka, declaration=sehati, status=Status.GRANTED)
    with translation.override("id"):
        assert said["id"] == {
            "number": [str(licences.GRANTED_NEEDS_NUMBER)],
            "granted_on": [str(licences.GRANTED_NEEDS_DATE)],
        }
    assert not Licence.objects.exists()


def test_expiry_before_the_grant_is_refused_and_nothing_changes(personas, sehati):
    officer = personas.kab_bangka
    said = refused(
        granted, user=officer, declaration=sehati, expires_on=datetime.date(2018, 12, 31)
    )
    with translation.override("en"):
        assert said["en"] == {"expires_on": [str(licences.EXPIRY_BEFORE_GRANT)]}
    assert said["id"]["expires_on"] != said["en"]["expires_on"]
    assert not Licence.objects.exists()
    licence = granted(officer, sehati, datetime.date(2022, 1, 1))
    with pytest.raises(ValidationError):
        licence_update(user=officer, licence=licence, expires_on=datetime.date(2018, 1, 1))
    licence.refresh_from_db()
    assert licence.expires_on == datetime.date(2022, 1, 1)


def test_a_grant_before_the_application_is_refused(personas, sehati):
    with pytest.raises(ValidationError) as error:
        record(
            personas.kab_bangka,
            sehati,
            status=Status.GRANTED,
            number="SNI 1",
            applied_on=datetime.date(2020, 5, 1),
            granted_on=datetime.date(2020, 4, 1),
        )
    assert error.value.message_dict == {"granted_on": [str(licences.GRANT_BEFORE_APPLICATION)]}


def test_a_licence_needs_its_issuer_and_a_known_kind(personas, sehati):
    with pytest.raises(ValidationError) as error:
        record(personas.kab_bangka, sehati, kind="izin_tambang", issuer=" ")
    assert set(error.value.message_dict) == {"kind", "issuer"}


def test_unknown_fields_are_not_changed(personas, sehati):
    licence = record(personas.kab_bangka, sehati)
    with pytest.raises(ValidationError):
        licence_update(user=personas.kab_bangka, licence=licence, business=None)


# Reads ---------------------------------------------------------------------------------


def test_the_seller_sees_only_its_own_licences(personas, sehati, make_producer):
    own = record(personas.umkm_masker, sehati)
    other = record(personas.kab_bangka, make_producer("19.01.01"))
    assert set(licences.licence_list(user=personas.umkm_masker)) == {own}
    assert set(licences.licence_list(user=personas.kab_bangka)) == {own, other}
    assert set(licences.licence_businesses(user=personas.umkm_masker)) == {sehati.business}


def test_officers_see_their_areas_licences(personas, prov_jateng, make_producer):
    bangka = record(personas.kab_bangka, make_producer("19.01.01"))
    belitung = record(personas.kab_belitung, make_producer("19.02.01"))
    assert set(licences.licence_list(user=personas.kab_bangka)) == {bangka}
    assert set(licences.licence_list(user=personas.prov_babel)) == {bangka, belitung}
    assert not licences.licence_list(user=prov_jateng).exists()
    assert not licences.licence_list(user=personas.kurator).exists()


def test_licences_are_filtered_by_kind_status_province_and_product(personas, make_producer):
    officer = personas.pusat
    sanitizer = make_producer("19.01.01", "hand-sanitizer")
    pkrt = record(
        officer,
        sanitizer,
        kind="izin_edar_pkrt",
        issuer="Kemenkes",
        product_type=sanitizer.product_type,
    )
    sni = record(officer, make_producer("33.01.01"), status=Status.IN_PROCESS)
    assert list(licences.licence_list(user=officer, kind="izin_edar_pkrt")) == [pkrt]
    assert list(licences.licence_list(user=officer, status=Status.IN_PROCESS)) == [sni]
    assert list(licences.licence_list(user=officer, province="33")) == [sni]
    assert list(licences.licence_list(user=officer, product=sanitizer.product_type)) == [pkrt]


def test_licences_expiring_soon_and_those_expired_are_listed_apart(personas, make_producer):
    officer = personas.kab_bangka
    soon = granted(officer, make_producer("19.01.01"), TODAY + datetime.timedelta(days=10))
    today = granted(officer, make_producer("19.01.01"), TODAY)
    granted(officer, make_producer("19.01.01"), TODAY + datetime.timedelta(days=61))
    expired = granted(officer, make_producer("19.01.01"), TODAY - datetime.timedelta(days=3))
    record(officer, make_producer("19.01.01"), expires_on=TODAY)  # only applied for
    found = licences_expiring(user=officer, within_days=60, today=TODAY)
    assert found.soon == [today, soon]
    assert [lic.days_left for lic in found.soon] == [0, 10]
    assert found.expired == [expired]
    assert found.expired[0].days_left == -3
    wider = licences_expiring(user=officer, within_days=90, today=TODAY)
    assert len(wider.soon) == 3


def test_a_renewed_licence_is_not_listed_as_expiring(personas, make_producer):
    officer = personas.kab_bangka
    producer = make_producer("19.01.01")
    granted(officer, producer, TODAY + datetime.timedelta(days=5))
    granted(officer, producer, TODAY - datetime.timedelta(days=5), kind="halal", issuer="BPJPH")
    granted(officer, producer, TODAY + datetime.timedelta(days=800))
    found = licences_expiring(user=officer, today=TODAY)
    assert [lic.kind for lic in found.soon] == []
    assert [lic.kind for lic in found.expired] == ["halal"]


def test_expiring_licences_are_scoped(personas, prov_jateng, sehati):
    licence = granted(personas.kab_bangka, sehati, TODAY + datetime.timedelta(days=5))
    assert licences_expiring(user=personas.umkm_masker, today=TODAY).soon == [licence]
    assert licences_expiring(user=prov_jateng, today=TODAY).soon == []
