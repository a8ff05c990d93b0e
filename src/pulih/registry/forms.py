from django import forms
from django.utils.translation import gettext_lazy as _

from pulih.wilayah.forms import RegionFieldsMixin

from .models import ImpactStatus, KbliSection, Need, Problem, Sex

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


class EntryForm(RegionFieldsMixin, forms.Form):
    """One affected business as a field assistant records it: owner, business, impact."""

    region_required = "village"

    nik = forms.CharField(
        label=_("NIK"), max_length=32, required=False, widget=forms.TextInput(attrs=NUMERIC)
    )
    name = forms.CharField(label=_("Owner's name"), max_length=200)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE_INPUT)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    address = forms.CharField(label=_("Owner's address"), max_length=300, required=False)

    business_name = forms.CharField(label=_("Business name"), max_length=200)
    nib = forms.CharField(
        label=_("NIB"), max_length=32, required=False, widget=forms.TextInput(attrs=NUMERIC)
    )
    kbli_section = forms.ChoiceField(
        label=_("Sector (KBLI)"), choices=[("", "—"), *KbliSection.choices], required=False
    )
    sector_note = forms.CharField(label=_("Products or services"), max_length=200, required=False)
    capital = forms.IntegerField(
        label=_("Business capital (Rp)"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs=NUMERIC),
    )
    annual_sales = forms.IntegerField(
        label=_("Annual sales (Rp)"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs=NUMERIC),
    )
    employees = forms.IntegerField(label=_("Employees"), min_value=0, required=False)
    whatsapp = forms.CharField(
        label=_("WhatsApp"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    report_date = forms.DateField(label=_("Report date"), widget=DATE_INPUT)
    status = forms.ChoiceField(label=_("Business status"), choices=ImpactStatus.choices)
    sales_before = forms.IntegerField(
        label=_("Monthly sales before Covid-19 (Rp)"), min_value=0, required=False
    )
    sales_after = forms.IntegerField(label=_("Monthly sales now (Rp)"), min_value=0, required=False)
    employees_before = forms.IntegerField(label=_("Employees before"), min_value=0, required=False)
    employees_after = forms.IntegerField(label=_("Employees now"), min_value=0, required=False)
    laid_off = forms.IntegerField(label=_("Laid off"), min_value=0, required=False)
    problems = forms.MultipleChoiceField(
        label=_("Problems"),
        choices=Problem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class BatchStepForm(forms.Form):
    action = forms.CharField()
    comment = forms.CharField(
        label=_("Comment or reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
