"""Likely duplicates where officers enter data: the entry form's live panel and the
import preview. Both ask record linkage through `registry.duplicates`.

The registry holds Sutarjo Joyohadikusumo in Sungailiat (Kabupaten Bangka), whom the
field assistant of Bangka may see, unless a test moves him to Belitung, which they may
not: then only the count of such people is shown, never who they are.
"""

import datetime

import pytest
from django.urls import reverse

from pulih.core.models import TaskProgress
from pulih.registry.importing.tasks import import_validate
from pulih.registry.services import person_create

from .test_import_files import SUNGAILIAT, row
from .test_import_pages import upload

pytestmark = pytest.mark.django_db

NIK = "1901011203750001"  # a man of Sungailiat district, born 12 March 1975
NIK_ONE_DIGIT_WRONG = "1901011203750007"
NIK_BELITUNG = "1902011203750002"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def login(login, settings):
    def _login(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


def sutarjo(personas, village, *, user=None, nik=NIK):
    return person_create(
        user=user or personas.kab_bangka,
        village_code=village,
        name="Sutarjo Joyohadikusumo",
        nik=nik,
        birth_date=datetime.date(1975, 3, 12),
        sex="M",
        phone="081277712345",
    )


def typed(village, **changes):
    """What an officer has typed so far, with the old spelling of the name and the NIK
    one digit off."""
    return {
        "nik": NIK_ONE_DIGIT_WRONG,
        "name": "Soetardjo Djojohadikoesoemo",
        "birth_date": "1975-03-12",
        "sex": "M",
        "phone": "0812-7771-2345",
        "province": "19",
        "regency": "19.01",
        "district": village[:8],
        "village": village,
        **changes,
    }


def test_entry_form_has_the_live_duplicate_panel(personas, login):
    page = login(personas.pendamping_bangka).get(reverse("registry:entry")).content.decode()
    assert 'id="duplicate-check"' in page
    assert reverse("registry:entry_duplicate_check") in page


def test_panel_shows_the_person_typed_with_an_old_spelling_and_a_wrong_nik_digit(
    personas, villages, login
):
    person = sutarjo(personas, villages["19.01.01"])
    client = login(personas.pendamping_bangka)
    html = client.post(
        reverse("registry:entry_duplicate_check"), typed(villages["19.01.01"])
    ).content.decode()
    assert "Sutarjo Joyohadikusumo" in html
    assert reverse("registry:person_detail", args=[person.pk]) in html
    assert "1901********0001" in html, "the NIK is masked"
    assert NIK not in html
    assert "Kabupaten Bangka" in html
    assert "% likely the same" in html
    assert "other regions" not in html


def test_panel_counts_a_duplicate_the_officer_cannot_see_without_showing_it(
    personas, villages, login
):
    sutarjo(personas, villages["19.02.01"], user=personas.kab_belitung, nik=NIK_BELITUNG)
    client = login(personas.pendamping_bangka)
    html = client.post(
        reverse("registry:entry_duplicate_check"),
        typed(villages["19.01.01"], nik=NIK_BELITUNG[:-1] + "7"),
    ).content.decode()
    assert "1 possible duplicate in other regions you cannot see." in html
    assert "Sutarjo" not in html
    assert "Belitung" not in html
    assert "/registri/pelaku/" not in html


def test_panel_reassures_when_no_one_alike_is_registered(personas, villages, login):
    sutarjo(personas, villages["19.01.01"])
    client = login(personas.pendamping_bangka)
    html = client.post(
        reverse("registry:entry_duplicate_check"),
        typed(
            villages["19.01.03"],
            nik="1901034107800003",
            name="Siti Aminah",
            birth_date="1980-07-01",
            sex="F",
            phone="081234567890",
        ),
    ).content.decode()
    assert "No likely duplicate in the registry." in html
    assert "Sutarjo" not in html


def test_panel_is_empty_until_something_identifying_is_typed(personas, villages, login):
    client = login(personas.pendamping_bangka)
    html = client.post(
        reverse("registry:entry_duplicate_check"), {"village": villages["19.01.01"]}
    ).content.decode()
    assert html.strip() == ""


def test_duplicate_check_is_not_there_for_buyers_or_province_officers(personas, villages, login):
    url = reverse("registry:entry_duplicate_check")
    data = typed(villages["19.01.01"])
    assert login(personas.pembeli_kf).post(url, data).status_code == 404
    assert login(personas.prov_babel).post(url, data).status_code == 404


def import_preview(client, tmp_path, rows):
    """Upload `rows`, run the validation task, and return its progress and preview page."""
    response = client.post(reverse("registry_import:upload"), {"file": upload(tmp_path, rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    progress = TaskProgress.objects.latest("created_at")
    import_validate.func(str(progress.pk), "en")
    progress.refresh_from_db()
    page = client.get(reverse("registry_import:detail", args=[progress.pk])).content.decode()
    return progress, page


def sutarjo_again(**changes):
    """A row of an import file with Sutarjo as the owner, as another office spelt him."""
    return row(
        1,
        **{
            "NIK": NIK_ONE_DIGIT_WRONG,
            "Nama Pemilik": "Soetardjo Djojohadikoesoemo",
            "Tanggal Lahir (DD-MM-YYYY)": "12-03-1975",
            "Jenis Kelamin (L/P)": "L",
            "No. HP": "081277712345",
            "Nama Usaha": "Bengkel Pak Tarjo",
            **changes,
        },
    )


def test_import_preview_lists_a_row_that_repeats_an_existing_person(personas, login, tmp_path):
    person = sutarjo(personas, SUNGAILIAT)
    client = login(personas.kab_bangka)
    progress, page = import_preview(client, tmp_path, [row(2), sutarjo_again()])

    assert progress.result["counts"]["valid"] == 2
    assert progress.result["counts"]["likely_duplicates"] == 1
    (found,) = progress.result["likely_duplicates"]
    assert (found["row"], found["name"]) == (3, "Soetardjo Djojohadikoesoemo")
    (candidate,) = found["candidates"]
    assert candidate["id"] == person.pk
    assert candidate["name"] == "Sutarjo Joyohadikusumo"
    assert candidate["nik"] == "1901********0001"
    assert candidate["regency"] == "Kabupaten Bangka"
    assert 50 <= candidate["percent"] <= 100

    assert "Likely already in the registry" in page
    assert "will be imported anyway" in page
    assert '<tr data-row="3">' in page
    assert reverse("registry:person_detail", args=[person.pk]) in page
    assert NIK not in page


def test_a_row_linked_to_its_registered_owner_is_not_a_likely_duplicate(personas, login, tmp_path):
    """Same NIK in the regency: writing links the row to that person, adds no one."""
    sutarjo(personas, SUNGAILIAT)
    client = login(personas.kab_bangka)
    progress, page = import_preview(client, tmp_path, [sutarjo_again(NIK=NIK)])
    assert progress.result["counts"]["person_exists"] == 1
    assert progress.result["counts"]["likely_duplicates"] == 0
    assert "Likely already in the registry" not in page


def test_import_preview_only_counts_a_duplicate_outside_the_officers_scope(
    personas, villages, login, tmp_path
):
    sutarjo(personas, villages["19.02.01"], user=personas.kab_belitung, nik=NIK_BELITUNG)
    client = login(personas.kab_bangka)
    progress, page = import_preview(client, tmp_path, [sutarjo_again(NIK=NIK_BELITUNG[:-1] + "7")])
    (found,) = progress.result["likely_duplicates"]
    assert (found["candidates"], found["elsewhere"]) == ([], 1)
    assert "1 possible duplicate in other regions you cannot see." in page
    assert "Sutarjo" not in page
