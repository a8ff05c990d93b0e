"""Bad NIP, phone and district input is refused with a reason, never stored 'fixed'."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pulih.accounts.models import Role
from pulih.accounts.services import user_create

pytestmark = pytest.mark.django_db


def test_phone_numbers_are_kept_in_e164(regions):
    user = user_create(username="hp", role=Role.ASN, phone="0812-3456-7890")
    assert user.phone == "+6281234567890"


def test_malformed_nip_is_refused_with_the_reason(regions):
    with translation.override("id"), pytest.raises(ValidationError) as error:
        user_create(username="nip-salah", role=Role.ASN, nip="12345abc")
    assert "NIP" in error.value.message_dict["nip"][0]


def test_malformed_phone_is_refused_in_english_too(regions):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        user_create(username="hp-salah", role=Role.ASN, phone="12")
    assert error.value.message_dict["phone"]


def test_unknown_district_codes_are_refused(regions):
    with pytest.raises(ValidationError) as error:
        user_create(
            username="pendamping-x",
            role=Role.PENDAMPING,
            province_code="19",
            regency_code="19.01",
            district_codes=["19.01.99"],
        )
    assert "19.01.99" in error.value.message_dict["districts"][0]
