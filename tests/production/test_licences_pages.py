"""The pages of licences and certificates: the list, the licences running out, recording
one and moving it forward.

Who may see what: kab-bangka works on Bangka's licences; the seller umkm-masker sees and
records its own business's (applications only); prov-jateng finds none of Bangka's; the
curator and the buyer find no page at all.
"""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import ngettext

from pulih.production import licences
from pulih.production.models import Licence, ProductType

pytestmark = pytest.mark.django_db

Status = Licence.Status
LIST = reverse("production:licence_list")
EXPIRING = reverse("production:licence_expiring")
RECORD = reverse("production:licence_record")


def detail(licence):
    return reverse("production:licence_detail", args=[licence.pk])


def record(user, declaration, **fields):
    return licences.licence_record(
        user=user, business=declaration.business, kind="sni", issuer="BSN", **fields
    )


def expired_days_ago(days):
    """The expiring page's words for a licence expired `days` ago, in the active language."""
    text = ngettext("expired %(days)s day ago", "expired %(days)s days ago", days)
    return text % {"days": days}


def granted(user, declaration, expires_on):
    return record(
        user,
        declaration,
        status=Status.GRANTED,
        number=f"SNI/{declaration.pk}",
        granted_on=datetime.date(2019, 1, 1),
        expires_on=expires_on,
    )


def shown(response, message):
    """Whether the page shows `message` in Indonesian."""
    with translation.override("id"):
        return escape(str(message)) in response.content.decode()


def test_the_officer_lists_and_filters_the_licences_of_the_area(personas, login, make_producer):
    sni = record(personas.kab_bangka, make_producer("19.01.01", name="Konveksi Merawang"))
    halal = licences.licence_record(
        user=personas.kab_bangka,
        business=make_producer("19.01.01", name="Sabun Sungailiat").business,
        kind="halal",
        issuer="BPJPH",
    )
    client = login(personas.kab_bangka)
    page = client.get(LIST).content.decode()
    assert "Konveksi Merawang" in page and "Sabun Sungailiat" in page
    page = client.get(LIST, {"kind": "halal"}).content.decode()
    assert f'data-licence="{halal.pk}"' in page
    assert f'data-licence="{sni.pk}"' not in page


def test_the_seller_sees_only_its_own_licences(personas, login, sehati, make_producer):
    own = record(personas.umkm_masker, sehati)
    other = record(personas.kab_bangka, make_producer("19.01.01"))
    client = login(personas.umkm_masker)
    page = client.get(LIST).content.decode()
    assert f'data-licence="{own.pk}"' in page
    assert f'data-licence="{other.pk}"' not in page
    assert client.get(detail(other)).status_code == 404
    assert client.get(detail(own)).status_code == 200


def test_another_province_finds_no_bangka_licence(personas, prov_jateng, login, sehati):
    licence = granted(personas.kab_bangka, sehati, timezone.localdate())
    client = login(prov_jateng)
    assert f'data-licence="{licence.pk}"' not in client.get(LIST).content.decode()
    assert f'data-licence="{licence.pk}"' not in client.get(EXPIRING).content.decode()
    assert client.get(detail(licence)).status_code == 404
    response = client.post(detail(licence), {"note": "dicabut"})
    assert response.status_code == 404
    licence.refresh_from_db()
    assert licence.note == ""


def test_curators_and_buyers_find_no_licence_page(personas, login, sehati):
    licence = record(personas.kab_bangka, sehati)
    for user in (personas.kurator, personas.pembeli_kf):
        client = login(user)
        for url in (LIST, EXPIRING, RECORD, detail(licence)):
            assert client.get(url).status_code == 404, (user, url)


def test_the_seller_records_an_application(personas, login, sehati):
    client = login(personas.umkm_masker)
    form = client.get(RECORD).context["form"]
    assert list(form.fields["business"].queryset) == [sehati.business]
    statuses = [value for value, _label in form.fields["status"].choices]
    assert statuses == [Status.APPLIED, Status.IN_PROCESS]
    response = client.post(
        RECORD,
        {
            "business": sehati.business.pk,
            "kind": "sni",
            "issuer": "BSN",
            "status": Status.APPLIED,
            "applied_on": "2020-04-10",
            "product_type": ProductType.objects.get(code="masker-kain").pk,
        },
    )
    licence = Licence.objects.get()
    assert response.status_code == 302
    assert response.url == detail(licence)
    assert (licence.business, licence.applied_on) == (sehati.business, datetime.date(2020, 4, 10))


def test_the_seller_cannot_post_a_decision(personas, login, sehati):
    response = login(personas.umkm_masker).post(
        RECORD,
        {
            "business": sehati.business.pk,
            "kind": "sni",
            "issuer": "BSN",
            "status": Status.GRANTED,
            "number": "SNI 1",
            "granted_on": "2020-04-10",
        },
    )
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    assert not Licence.objects.exists()


def test_a_business_outside_the_area_cannot_be_chosen(personas, prov_jateng, login, sehati):
    response = login(prov_jateng).post(
        RECORD,
        {"business": sehati.business.pk, "kind": "sni", "issuer": "BSN", "status": "applied"},
    )
    assert "business" in response.context["form"].errors
    assert not Licence.objects.exists()


def test_a_granted_licence_without_number_is_refused_with_a_message(personas, login, sehati):
    response = login(personas.kab_bangka).post(
        RECORD,
        {
            "business": sehati.business.pk,
            "kind": "sni",
            "issuer": "BSN",
            "status": Status.GRANTED,
            "granted_on": "2020-05-01",
            "expires_on": "2020-04-01",
        },
    )
    assert response.status_code == 200
    assert shown(response, licences.GRANTED_NEEDS_NUMBER)
    assert shown(response, licences.EXPIRY_BEFORE_GRANT)
    assert not Licence.objects.exists()


def test_the_officer_records_the_ministrys_decision(personas, login, sehati):
    licence = record(personas.umkm_masker, sehati, applied_on=datetime.date(2020, 4, 1))
    response = login(personas.kab_bangka).post(
        detail(licence),
        {
            "kind": "sni",
            "issuer": "BSN",
            "status": Status.GRANTED,
            "number": "SNI 8914:2020/0042",
            "applied_on": "2020-04-01",
            "granted_on": "2020-05-04",
            "expires_on": "2024-05-04",
        },
    )
    assert response.status_code == 302
    licence.refresh_from_db()
    assert (licence.status, licence.number) == (Status.GRANTED, "SNI 8914:2020/0042")


def test_going_back_is_refused_on_the_page(personas, login, sehati):
    licence = record(personas.kab_bangka, sehati, status=Status.IN_PROCESS)
    response = login(personas.kab_bangka).post(
        detail(licence), {"kind": "sni", "issuer": "BSN", "status": Status.APPLIED}
    )
    assert shown(response, licences.STATUS_BACKWARDS)
    licence.refresh_from_db()
    assert licence.status == Status.IN_PROCESS


def test_the_seller_cannot_change_a_decided_licence(personas, login, sehati):
    licence = granted(personas.kab_bangka, sehati, datetime.date(2030, 1, 1))
    client = login(personas.umkm_masker)
    response = client.get(detail(licence))
    assert response.context["form"] is None
    assert shown(response, licences.ALREADY_DECIDED)
    assert client.post(detail(licence), {"note": "x"}).status_code == 403


def test_the_expiring_page_shows_the_days_left(personas, login, make_producer):
    today = timezone.localdate()
    soon = granted(personas.kab_bangka, make_producer("19.01.01"), today + datetime.timedelta(12))
    later = granted(personas.kab_bangka, make_producer("19.01.01"), today + datetime.timedelta(75))
    gone = granted(personas.kab_bangka, make_producer("19.01.01"), today - datetime.timedelta(4))
    client = login(personas.kab_bangka)
    page = client.get(EXPIRING).content.decode()
    assert f'data-licence="{soon.pk}" data-days-left="12"' in page
    assert f'data-licence="{gone.pk}" data-days-left="-4"' in page
    assert f'data-licence="{later.pk}"' not in page
    assert f'data-licence="{later.pk}"' in client.get(EXPIRING, {"hari": 90}).content.decode()
    with translation.override("id"):
        indonesian = expired_days_ago(4)
    assert indonesian in page  # Indonesian by default
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "expired 4 days ago" in client.get(EXPIRING).content.decode()
