import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_a_province_fills_its_regencies_and_a_new_province_clears_below(
    live_server, personas, page
):
    page.goto(f"{live_server.url}/wilayah/")
    page.select_option("select[name=province]", "19")
    page.wait_for_selector("select[name=regency] option[value='19.01']", state="attached")
    page.select_option("select[name=regency]", "19.01")
    page.wait_for_selector("select[name=district] option[value='19.01.01']", state="attached")
    page.select_option("select[name=district]", "19.01.01")
    page.wait_for_selector("select[name=village] option[value^='19.01.01.']", state="attached")

    page.select_option("select[name=province]", "32")
    page.wait_for_selector("select[name=regency] option[value='32.12']", state="attached")
    assert page.locator("select[name=district] option").count() <= 1
    assert page.locator("select[name=village] option").count() <= 1
