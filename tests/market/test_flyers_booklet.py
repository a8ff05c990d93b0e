"""A regency's booklet is printed in the background: the officer starts it, follows its
progress and downloads the PDF when it is done.

Who may print a booklet: kab-bangka Bangka's (19.01), not Belitung's; prov-babel every
booklet of Bangka Belitung; pusat any; prov-jateng none of them; sellers and field
assistants none. A printed booklet is downloaded only by the officer who printed it, and
only while the regency is still theirs; nobody reaches the file through a public address.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from pulih.accounts.models import Organisation
from pulih.core.models import TaskProgress
from pulih.market import flyers

from .test_flyers import BASE, product, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as soon as they are queued, inside the request that queues them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def goods(personas):
    """Two gallery products of Bangka, one hidden from the gallery, one of Belitung."""
    belitung = Organisation.objects.create(
        name="Batik Simpor Belitung", kind=Organisation.Kind.BUSINESS, region_code="19.02"
    )
    seller = personas.umkm_masker.organisation
    product(seller, "Masker Internal", "19.01", public=False)
    return {
        "masker": product(seller, "Masker Kain Sehati", "19.01"),
        "apd": product(seller, "Baju APD Sehati", "19.01.01"),
        "batik": product(belitung, "Batik Simpor Motif Daun", "19.02"),
    }


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """Press "print booklet" for a regency; returns the response."""

    def _start(client, code):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("market:booklet", args=[code]))

    return _start


def progress_url(progress):
    return reverse("market:booklet_progress", args=[progress.pk])


def download_url(progress):
    return reverse("market:booklet_download", args=[progress.pk])


def printed(client, start, code="19.01"):
    response = start(client, code)
    progress = TaskProgress.objects.latest("created_at")
    assert response.status_code == 302
    assert response["Location"] == progress_url(progress)
    progress.refresh_from_db()
    return progress


def test_officer_prints_the_regencys_booklet_and_downloads_it(
    login, personas, goods, immediate_tasks, start
):
    client = login(personas.kab_bangka)
    progress = printed(client, start)
    assert progress.status == TaskProgress.Status.DONE
    assert (progress.done, progress.total) == (2, 2)
    with translation.override("id"):
        ready = translation.ngettext(
            "The booklet of %(count)s product is ready.",
            "The booklet of %(count)s products is ready.",
            2,
        ) % {"count": 2}
    assert progress.message == ready
    page = client.get(progress_url(progress)).content.decode()
    assert download_url(progress) in page
    assert "hx-trigger" not in page, "a finished booklet stops polling"

    response = client.get(download_url(progress))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        'attachment; filename="katalog-umkm-kabupaten-bangka.pdf"'
        in (response["Content-Disposition"])
    )
    words = text(b"".join(response.streaming_content))
    assert "Masker Kain Sehati" in words and "Baju APD Sehati" in words
    assert "Batik Simpor" not in words and "Masker Internal" not in words


def test_province_and_centre_print_the_booklets_of_their_regencies(
    login, personas, goods, immediate_tasks, start
):
    for user, code, name in (
        (personas.prov_babel, "19.02", "Batik Simpor Belitung"),
        (personas.pusat, "19.01", "Masker Kain Sehati"),
    ):
        client = login(user)
        progress = printed(client, start, code)
        response = client.get(download_url(progress))
        assert name in text(b"".join(response.streaming_content)), user


def test_booklet_reports_each_product_as_it_is_prepared(goods):
    calls = []
    flyers.booklet_pdf(
        regency_code="19.01", base_url=BASE, on_progress=lambda *step: calls.append(step)
    )
    assert calls == [(0, 2), (1, 2), (2, 2)]


def test_booklet_of_another_regency_is_not_started(login, personas, prov_jateng, goods, start):
    assert start(login(personas.kab_bangka), "19.02").status_code == 404
    assert start(login(prov_jateng), "19.01").status_code == 404
    assert start(login(personas.pusat), "99.99").status_code == 404
    assert start(login(personas.pusat), "19").status_code == 404
    assert not TaskProgress.objects.filter(kind=flyers.BOOKLET_KIND).exists()


def test_sellers_field_assistants_and_buyers_print_no_booklet(login, personas, goods, start):
    for user in (personas.umkm_masker, personas.pendamping_bangka, personas.asn_demo):
        assert start(login(user), "19.01").status_code == 404, user
    assert not TaskProgress.objects.filter(kind=flyers.BOOKLET_KIND).exists()


def test_a_booklet_is_started_by_pressing_the_button_not_by_opening_an_address(
    login, personas, goods
):
    client = login(personas.kab_bangka)
    assert client.get(reverse("market:booklet", args=["19.01"])).status_code == 405
    assert not TaskProgress.objects.filter(kind=flyers.BOOKLET_KIND).exists()


def test_a_printed_booklet_is_downloaded_only_by_the_officer_who_printed_it(
    login, personas, prov_jateng, goods, immediate_tasks, start
):
    progress = printed(login(personas.kab_bangka), start)
    for user in (personas.prov_babel, personas.pusat, personas.kab_belitung, prov_jateng):
        client = login(user)
        assert client.get(download_url(progress)).status_code == 404, user
        assert client.get(progress_url(progress)).status_code == 404, user


def test_a_booklet_is_not_downloaded_once_the_regency_is_no_longer_the_officers(
    login, personas, goods, immediate_tasks, start
):
    officer = personas.kab_bangka
    progress = printed(login(officer), start)
    officer.regency_code = "19.02"
    officer.save(update_fields=["regency_code"])
    assert login(officer).get(download_url(progress)).status_code == 404


def test_the_booklet_file_has_no_public_address(login, personas, goods, immediate_tasks, start):
    client = login(personas.kab_bangka)
    progress = printed(client, start)
    (stored,) = flyers.booklets_dir().glob("*.pdf")
    assert stored.stem == progress.result["token"]
    assert client.get(f"/media/market/booklets/{stored.name}").status_code == 404
    client.logout()
    assert client.get(download_url(progress)).status_code == 302, "to the sign-in page"


def test_a_booklet_still_printing_shows_its_progress_and_no_download(login, personas, goods):
    client = login(personas.kab_bangka)
    progress = flyers.booklet_start(user=personas.kab_bangka, code="19.01", base_url=BASE)
    page = client.get(progress_url(progress)).content.decode()
    assert reverse("core:task_progress", args=[progress.pk]) in page, "the page polls"
    assert download_url(progress) not in page
    assert client.get(download_url(progress)).status_code == 404


def test_the_menu_offers_the_booklets_the_officer_printed(
    login, personas, goods, immediate_tasks, start
):
    client = login(personas.kab_bangka)
    progress = printed(client, start)
    page = client.get(reverse("market:flyer_menu")).content.decode()
    assert progress_url(progress) in page
    assert (
        progress_url(progress)
        not in login(personas.prov_babel).get(reverse("market:flyer_menu")).content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_a_booklet_is_printed_by_the_task_worker(login, personas, goods):
    client = login(personas.kab_bangka)
    client.post(reverse("market:booklet", args=["19.01"]))
    progress = TaskProgress.objects.get(kind=flyers.BOOKLET_KIND)
    assert progress.status == TaskProgress.Status.QUEUED

    call_command("db_worker", batch=True, verbosity=0)

    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE
    assert progress.payload == {}
    response = client.get(download_url(progress))
    assert "Masker Kain Sehati" in text(b"".join(response.streaming_content))
