"""The cascading region selects: the options view, the form piece and the browse page."""

import pytest
from django import forms
from django.urls import reverse

from pulih.wilayah.forms import RegionFieldsMixin, RegionSelectForm
from pulih.wilayah.models import Village


def test_options_are_the_regencies_of_the_chosen_province_after_a_blank_one(client, regions):
    response = client.get(reverse("wilayah:options", args=["regencies"]), {"province": "19"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<option value="">')
    assert '<option value="19.01">Kabupaten Bangka</option>' in html
    assert html.count("<option") == 8


def test_options_accept_a_prefixed_field_name_or_parent(client, regions):
    url = reverse("wilayah:options", args=["districts"])
    prefixed = client.get(url, {"usaha-regency": "19.01"}).content.decode()
    assert '<option value="19.01.01">' in prefixed
    assert client.get(url, {"parent": "19.01"}).content.decode() == prefixed


def test_htmx_filling_a_select_also_empties_the_selects_below_it(client, regions):
    response = client.get(
        reverse("wilayah:options", args=["regencies"]),
        {"usaha-province": "19"},
        headers={"HX-Request": "true", "HX-Target": "id_usaha-regency"},
    )
    html = response.content.decode()
    assert '<select id="id_usaha-district" hx-swap-oob="innerHTML">' in html
    assert '<select id="id_usaha-village" hx-swap-oob="innerHTML">' in html
    assert "id_usaha-regency" not in html


def test_no_parent_gives_only_the_blank_option(client, regions):
    response = client.get(reverse("wilayah:options", args=["villages"]), {"district": ""})
    assert response.content.decode().count("<option") == 1


@pytest.mark.parametrize(
    ("level", "params"),
    [("regencies", {"province": "20"}), ("villages", {"parent": "19.01.99"}), ("towns", {})],
)
def test_an_unknown_parent_or_level_is_a_404(client, regions, level, params):
    assert client.get(reverse("wilayah:options", args=[level]), params).status_code == 404


class AddressForm(RegionFieldsMixin, forms.Form):
    """A data-entry form: the village must be chosen."""


def bangka_village():
    return Village.objects.filter(district="19.01.01").order_by("code").first()


def test_a_submitted_chain_of_choices_validates_to_its_village_code(regions):
    village = bangka_village()
    form = AddressForm(
        {"province": "19", "regency": "19.01", "district": "19.01.01", "village": village.code}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region_code"] == village.code


def test_a_regency_of_another_province_is_rejected(regions):
    form = AddressForm(
        {"province": "19", "regency": "11.01", "district": "11.01.01", "village": ""}
    )
    assert not form.is_valid()
    assert set(form.errors) == {"regency", "district", "village"}


def test_an_edit_form_offers_the_choices_of_its_initial_region(regions):
    form = AddressForm(initial={"province": "19", "regency": "19.01"})
    assert ("19.01.01", bangka_village().district.name) in form.fields["district"].choices


def test_each_select_asks_for_the_options_of_the_next_one(regions):
    form = RegionSelectForm(prefix="usaha")
    province = str(form["province"])
    assert f'hx-get="{reverse("wilayah:options", args=["regencies"])}"' in province
    assert 'hx-target="#id_usaha-regency"' in province
    assert 'hx-trigger="change"' in province
    assert 'hx-swap="innerHTML"' in province
    assert "hx-get" not in str(form["village"])


def test_the_browse_page_shows_the_chosen_region_with_its_child_counts(client, regions):
    response = client.get(reverse("wilayah:browse"), {"province": "19", "regency": "19.01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Kabupaten Bangka</h2>" in html
    assert '<dd class="mono">19.01</dd>' in html
    assert 'name="village"' in html


def test_the_browse_page_ignores_a_choice_left_over_from_another_province(client, regions):
    response = client.get(reverse("wilayah:browse"), {"province": "19", "regency": "11.01"})
    assert "<h2>Kepulauan Bangka Belitung</h2>" in response.content.decode()


def test_htmx_gets_only_the_region_details(client, regions):
    response = client.get(
        reverse("wilayah:browse"), {"province": "19"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.startswith('<section id="region-detail"')
    assert "Kepulauan Bangka Belitung" in html
    assert "<select" not in html
