"""A user outside a record's scope gets 404 from every page and endpoint, never the data."""

import pytest
from django.urls import reverse

from pulih.accounts.models import Role, User
from pulih.accounts.services import token_issue, user_create

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}


def test_regency_officer_cannot_open_another_regencys_officer_page(personas, login):
    client = login(personas.kab_bangka)
    response = client.get(reverse("accounts:user_detail", args=[personas.kab_belitung.pk]))
    assert response.status_code == 404


def test_regency_officer_cannot_read_another_regencys_officer_through_the_api(personas, client):
    response = client.get(
        f"/api/v1/accounts/users/{personas.kab_belitung.pk}", **bearer(personas.kab_bangka)
    )
    assert response.status_code == 404
    assert response.json() == {"message": "Tidak ditemukan."}


def test_regency_officer_sees_own_field_assistant(personas, login):
    client = login(personas.kab_bangka)
    response = client.get(reverse("accounts:user_detail", args=[personas.pendamping_bangka.pk]))
    assert response.status_code == 200
    assert "Sungailiat" in response.content.decode()


def test_province_officer_sees_every_regency_of_the_province_but_not_others(personas, client):
    response = client.get("/api/v1/accounts/users?limit=100", **bearer(personas.prov_babel))
    usernames = {u["username"] for u in response.json()["items"]}
    assert {"kab-bangka", "kab-belitung", "pendamping-bangka", "prov-babel"} <= usernames
    assert "koperasi-tanimulus" not in usernames
    assert "pusat" not in usernames


def test_central_officer_sees_every_user(personas, client):
    response = client.get("/api/v1/accounts/users?limit=100", **bearer(personas.pusat))
    assert response.json()["count"] == User.objects.count()


def test_field_assistant_sees_only_themself_in_the_user_list(personas, login):
    client = login(personas.pendamping_bangka)
    response = client.get("/api/v1/accounts/users")
    assert [u["username"] for u in response.json()["items"]] == ["pendamping-bangka"]


def test_curator_sees_only_its_own_organisation(personas, client):
    response = client.get("/api/v1/accounts/users", **bearer(personas.kurator))
    assert [u["username"] for u in response.json()["items"]] == ["kurator"]


def test_user_list_page_is_not_there_for_a_civil_servant_buyer(personas, login):
    client = login(personas.asn_demo)
    assert client.get(reverse("accounts:user_list")).status_code == 404


def test_officers_see_full_nip_and_everyone_sees_their_own(personas, client):
    full = client.get(f"/api/v1/accounts/users/{personas.asn_demo.pk}", **bearer(personas.pusat))
    assert full.json()["nip"] == "198504122010012003"
    own = client.get("/api/v1/accounts/me", **bearer(personas.asn_demo))
    assert own.json()["nip"] == "198504122010012003"


def test_phone_is_masked_for_a_seller_looking_at_a_colleague(personas, client):
    colleague = user_create(
        username="bendahara-tanimulus",
        role=Role.PENJUAL,
        organisation=personas.koperasi_tanimulus.organisation,
        phone="+6281234567890",
    )
    response = client.get(
        f"/api/v1/accounts/users/{colleague.pk}", **bearer(personas.koperasi_tanimulus)
    )
    assert response.status_code == 200
    assert response.json()["phone"] != "+6281234567890"
    assert response.json()["phone"].endswith("890")


def test_viewing_a_persons_full_record_is_written_to_the_access_log(personas, login):
    from pulih.core.models import AccessLog

    client = login(personas.prov_babel)
    client.get(reverse("accounts:user_detail", args=[personas.kab_bangka.pk]))
    entry = AccessLog.objects.get()
    assert (entry.username, entry.object_id) == ("prov-babel", str(personas.kab_bangka.pk))


def test_pages_need_sign_in(client, personas):
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_regency_officer_without_a_regency_cannot_be_created(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        user_create(username="tanpa-wilayah", role=Role.KABKOTA)
    assert "regency_code" in error.value.message_dict


def test_user_list_page_of_a_regency_shows_only_its_users(personas, login):
    html = login(personas.kab_bangka).get(reverse("accounts:user_list")).content.decode()
    assert "pendamping-bangka" in html
    assert "kab-belitung" not in html
    assert "prov-babel" not in html


def test_paging_through_users_keeps_the_filters(personas, login):
    for n in range(55):
        user_create(username=f"asn-{n:02d}", role=Role.ASN)
    html = login(personas.pusat).get(reverse("accounts:user_list"), {"role": "asn"}).content
    assert "role=asn&amp;page=2" in html.decode()
