"""Cascading province → regency/city → district → village selects, for any form.

Usage::

    class BusinessForm(RegionFieldsMixin, forms.ModelForm):
        region_required = "village"
        ...

    {% include "wilayah/_region_selects.html" with form=form %}

`form.cleaned_data["region_code"]` is then the most specific code chosen.
"""

from django import forms
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import District, Province, Regency, Village

# field name, model of its options, the options' foreign key to the field above
REGION_FIELDS = (
    ("province", Province, None),
    ("regency", Regency, "province"),
    ("district", District, "regency"),
    ("village", Village, "district"),
)
FIELD_NAMES = tuple(name for name, _model, _parent in REGION_FIELDS)
# The options URL level that fills each select from the one above it.
OPTION_LEVELS = {"regency": "regencies", "district": "districts", "village": "villages"}
BLANK_CHOICE = ("", _("— choose —"))


class RegionFieldsMixin:
    """Adds the four region selects to a form.

    Each select offers the children of the value chosen (or given as initial) in the select
    above, so a submitted form validates against the same lists the user saw, and a choice
    left over from another parent is rejected instead of saved. Selecting a value asks the
    `wilayah:options` view for the next select's options (htmx), which also empties the
    selects further down.

    `region_required` is the most specific level that must be chosen, or None. A form
    that carries hx- attributes of its own should also have hx-disinherit="*", so that
    the selects do not inherit them (hx-push-url, hx-select, ...).
    """

    region_required = "village"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required = (
            FIELD_NAMES[: FIELD_NAMES.index(self.region_required) + 1]
            if self.region_required
            else ()
        )
        parent_code = None
        for name, model, parent_field in REGION_FIELDS:
            if parent_field is None:
                options = model.objects.all()
            elif parent_code:
                options = model.objects.filter(**{parent_field: parent_code})
            else:
                options = model.objects.none()
            choices = list(options.values_list("code", "name"))
            self.fields[name] = forms.ChoiceField(
                label=capfirst(model._meta.verbose_name),
                choices=[BLANK_CHOICE, *choices],
                required=name in required,
            )
            value = self[name].value()
            parent_code = value if value in {code for code, _name in choices} else None
        for name, next_name in zip(FIELD_NAMES, FIELD_NAMES[1:], strict=False):
            attrs = self.fields[name].widget.attrs
            attrs["hx-get"] = reverse("wilayah:options", args=[OPTION_LEVELS[next_name]])
            attrs["hx-target"] = f"#{self[next_name].auto_id}"
            attrs["hx-trigger"] = "change"
            # Set here, not inherited: a surrounding form's hx-swap="outerHTML" would
            # replace the select itself.
            attrs["hx-swap"] = "innerHTML"

    def clean(self):
        cleaned_data = super().clean()
        cleaned_data["region_code"] = next(
            (cleaned_data[name] for name in reversed(FIELD_NAMES) if cleaned_data.get(name)), ""
        )
        return cleaned_data

    def region_fields(self):
        return [self[name] for name in FIELD_NAMES]

    def chosen_code(self):
        """The most specific region chosen whose parents are chosen too, or None.

        Unlike `cleaned_data`, this ignores a stale lower choice instead of rejecting the
        form, which suits a browse page that follows the user's clicks.
        """
        code = None
        for name in FIELD_NAMES:
            value = self[name].value()
            if not value or value not in dict(self.fields[name].choices):
                break
            code = value
        return code


class RegionSelectForm(RegionFieldsMixin, forms.Form):
    """The selects on their own, nothing required: for browsing and filtering."""

    region_required = None
