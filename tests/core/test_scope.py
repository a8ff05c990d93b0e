"""The one scope mechanism: which rows of a region-coded table each persona may see."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from pulih.core.scope import (
    NOTHING,
    province_filter,
    province_for_write,
    region_codes,
    region_filter,
)

pytestmark = pytest.mark.django_db


def test_each_region_level_filters_on_its_own_code(personas):
    assert region_filter(personas.pusat) == Q()
    assert region_filter(personas.prov_babel) == Q(province_code="19")
    assert region_filter(personas.kab_bangka) == Q(regency_code="19.01")
    assert region_filter(personas.pendamping_bangka) == Q(
        district_code__in=["19.01.01", "19.01.02", "19.01.05"]
    )


def test_related_records_are_scoped_through_a_prefix(personas):
    assert region_filter(personas.kab_bangka, prefix="business__") == Q(
        business__regency_code="19.01"
    )


def test_organisation_roles_see_their_organisations_rows_only(personas):
    kurator = personas.kurator
    assert region_filter(kurator, organisation_field="curator") == Q(
        curator=kurator.organisation_id
    )
    assert region_filter(kurator) == NOTHING, "no organisation field: nothing to see"


def test_a_scope_missing_its_code_sees_nothing(personas):
    officer = personas.kab_bangka
    officer.regency_code = ""
    assert region_filter(officer) == NOTHING


def test_signed_out_and_deactivated_users_see_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    assert region_filter(AnonymousUser()) == NOTHING
    personas.pusat.is_active = False
    assert region_filter(personas.pusat) == NOTHING


def test_every_level_follows_from_the_most_precise_code():
    assert region_codes("19.01.01.2001") == {
        "province_code": "19",
        "regency_code": "19.01",
        "district_code": "19.01.01",
        "village_code": "19.01.01.2001",
    }
    assert region_codes("19.01")["district_code"] == ""
    assert region_codes("") == dict.fromkeys(
        ["province_code", "regency_code", "district_code", "village_code"], ""
    )


def test_records_held_per_province_follow_the_officers_province(personas):
    assert province_filter(personas.pusat) == Q()
    assert province_filter(personas.prov_babel) == Q(province_code="19")
    assert province_filter(personas.kab_bangka) == NOTHING
    national = Q(province_code="19") | Q(province_code="")
    assert province_filter(personas.kab_bangka, national=True) == national
    assert province_filter(personas.kurator, national=True) == NOTHING


def test_a_province_officer_writes_only_for_their_province(personas):
    assert province_for_write(personas.prov_babel, "", "no") == "19"
    with pytest.raises(ValidationError):
        province_for_write(personas.prov_babel, "33", "no")
    assert province_for_write(personas.pusat, "", "no") == ""
    with pytest.raises(PermissionDenied):
        province_for_write(personas.kab_bangka, "19", "no")
