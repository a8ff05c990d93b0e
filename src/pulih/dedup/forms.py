from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pulih.core.scope import Level
from pulih.wilayah.selectors import province_list

from .services import REVIEW_FLOOR, THRESHOLD

NATIONAL = _("National")
PROBABILITY_INPUT = {"step": "0.01", "min": "0", "max": "1"}


class RunStartForm(forms.Form):
    """Where to run and, optionally, the review band. The fields are named after
    `services.run_start`'s arguments, which decides who may run where."""

    province_code = forms.CharField(label=_("Area"), required=False, widget=forms.Select)
    threshold = forms.FloatField(
        label=_("Match threshold"),
        required=False,
        initial=THRESHOLD,
        widget=forms.NumberInput(attrs=PROBABILITY_INPUT),
        help_text=_("Pairs at or above this probability are linked without review."),
    )
    review_floor = forms.FloatField(
        label=_("Review from"),
        required=False,
        initial=REVIEW_FLOOR,
        widget=forms.NumberInput(attrs=PROBABILITY_INPUT),
        help_text=_("Pairs from this probability up to the threshold wait for review."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = province_list()
        if user.scope_level == Level.NATION:
            choices = [("", NATIONAL), *((p.code, p.name) for p in provinces)]
        else:
            choices = [(p.code, p.name) for p in provinces.filter(code=user.province_code)]
        self.fields["province_code"].widget.choices = choices

    def clean_province_code(self):
        code = self.cleaned_data["province_code"]
        if code and not province_list().filter(code=code).exists():
            raise ValidationError(_("Choose a province from the list."))
        return code

    def clean_threshold(self):
        value = self.cleaned_data["threshold"]
        return THRESHOLD if value is None else value

    def clean_review_floor(self):
        value = self.cleaned_data["review_floor"]
        return REVIEW_FLOOR if value is None else value


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
