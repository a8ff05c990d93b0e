from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pulih.core.scope import Level
from pulih.registry.importing.reading import EXTENSIONS
from pulih.wilayah.selectors import province_list

from .models import Enrolment, ExternalList, Programme, Referral
from .rules import BPUM_RULES, RULES

NATIONAL = _("National")
MAX_CYCLES = 24


def capitalised(choices):
    """A model's choices as a menu shows them: "Cash grant", not "cash grant"."""
    return [(value, capfirst(label)) for value, label in choices.choices]


class ProgrammeForm(forms.Form):
    """A new programme; the fields are `services.programme_create`'s arguments. Only the
    centre chooses the province: a province officer's programme is their province's."""

    name = forms.CharField(label=_("Name"), max_length=200)
    agency = forms.CharField(label=_("Agency"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=capitalised(Programme.Kind))
    amount = forms.IntegerField(
        label=_("Amount per beneficiary (Rp)"),
        min_value=0,
        help_text=_("Whole Rupiah, without dots: 2400000."),
    )
    cycles = forms.IntegerField(label=_("Cycles"), min_value=1, max_value=MAX_CYCLES, initial=1)
    rules = forms.MultipleChoiceField(
        label=_("Eligibility rules"),
        required=False,
        choices=[(code, rule.text) for code, rule in RULES.items()],
        initial=BPUM_RULES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A candidate must pass every rule ticked. BPUM's rules are ticked."),
    )
    province_code = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.scope_level != Level.NATION:
            del self.fields["province_code"]
        else:
            self.fields["province_code"].choices = [
                ("", NATIONAL),
                *((p.code, p.name) for p in province_list()),
            ]

    def clean_rules(self):
        # Kept in the order of RULES, the order the rules are shown and checked in.
        chosen = set(self.cleaned_data["rules"])
        return [code for code in RULES if code in chosen]


class EnrolmentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *capitalised(Enrolment.Status)],
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )


class ListUploadForm(UploadForm):
    kind = forms.ChoiceField(label=_("Kind of list"), choices=capitalised(ExternalList.Kind))
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    field_order = ["kind", "name", "source", "file"]


class BankResultForm(forms.Form):
    file = forms.FileField(
        label=_("The bank's result file (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
        help_text=_("Columns reference and status (referensi, status), optionally reason."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("The bank's result file is a CSV file."))
        return upload


class ReferralStatusForm(UploadForm):
    target = forms.ChoiceField(label=_("Programme"), choices=capitalised(Referral.Target))

    field_order = ["target", "file"]
