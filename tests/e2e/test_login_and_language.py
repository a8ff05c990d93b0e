import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_regency_officer_signs_in_sees_indonesian_home_and_switches_to_english(
    live_server, personas, page
):
    page.goto(f"{live_server.url}/akun/masuk/")
    assert page.locator("h1").inner_text() == "Masuk ke pulih"
    page.fill("#id_username", "kab-bangka")
    page.fill("#id_password", "demo-pulih")
    page.click("button[type=submit].btn")

    page.wait_for_url(f"{live_server.url}/")
    assert "Selamat datang" in page.locator("h1").inner_text()
    assert "Kabupaten Bangka (19.01)" in page.locator(".scope").inner_text()
    assert page.locator("html").get_attribute("lang") == "id"

    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    assert "Welcome" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto(f"{live_server.url}/")
    assert "Welcome" in page.locator("h1").inner_text(), "the choice of English persists"
