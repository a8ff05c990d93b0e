"""Forms of the declaration and curation pages. They read and shape input; the rules
(capacity at least 1, one declaration per product, every criterion answered, …) are the
services', so the pages and the API refuse with the same words."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pulih.core.scope import Level
from pulih.wilayah.selectors import province_list

from . import services
from .models import Curation, Declaration, Material, ProductType
from .selectors import curator_choices

AUTOMATIC = ""
MATERIAL_MISSING = _("Choose the material of this quantity.")
# The largest id a database key holds (a signed 64-bit integer), and its digits.
MAX_ID = 2**63 - 1
MAX_ID_DIGITS = len(str(MAX_ID))


def parsed_id(value):
    """A record id written in a request, or None. `isdecimal`, not `isdigit`: "²" is a
    digit that `int` cannot read; and an id past the database's range is no id (nor is
    one of thousands of digits, which `int` refuses to read)."""
    value = str(value or "").strip()
    if not value.isdecimal() or len(value) > MAX_ID_DIGITS:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def capitalised(choices):
    return [(value, capfirst(label)) for value, label in choices.choices]


def business_label(business):
    return " · ".join(filter(None, [business.name, business.nib, business.village_code]))


class DeclarationFilterForm(forms.Form):
    q = forms.CharField(label=_("Business name or NIB"), required=False)
    product = forms.ChoiceField(label=_("Product"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *capitalised(Declaration.Status)],
    )
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [
            ("", _("All")),
            *ProductType.objects.values_list("code", "name"),
        ]
        if user.scope_level == Level.NATION:
            self.fields["province"].choices = [
                ("", _("All")),
                *((p.code, p.name) for p in province_list()),
            ]
        else:
            del self.fields["province"]

    def filters(self):
        """The selector's keyword arguments; an unreadable filter is no filter."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "query": data.get("q", ""),
            "product": data.get("product", ""),
            "status": data.get("status", ""),
            "province": data.get("province", ""),
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the service checks that each is an image."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class BusinessFiguresForm(forms.Form):
    """The business figures: what a curated declaration may still change."""

    monthly_capacity = forms.IntegerField(label=_("Capacity per month"))
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"),
        initial=0,
        help_text=_("Days from an order to the first delivery."),
    )
    unit_price = forms.IntegerField(
        label=_("Price per unit (Rp)"),
        initial=0,
        help_text=_("Whole Rupiah, without dots: 3000."),
    )
    workers = forms.IntegerField(label=_("Workers"), initial=0)
    equipment = forms.CharField(
        label=_("Equipment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Machines and tools, e.g. 4 sewing machines, 1 overlock."),
    )


class DeclarationFieldsForm(BusinessFiguresForm):
    """What a declaration says, all of which may change while it is declared or needs
    improvement."""

    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeclarationCreateForm(DeclarationFieldsForm):
    """A new declaration. `businesses` are those the user may declare for (what the
    choice is checked against); `shown` those offered on the page, a search's matches
    for an officer, who may reach thousands."""

    business = forms.ModelChoiceField(
        label=_("Business"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    product_type = forms.ModelChoiceField(
        label=_("Product"), queryset=ProductType.objects.filter(active=True)
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 6 photos of the product or the workshop, JPEG, PNG or WebP, 5 MB each."),
    )

    field_order = ["business", "product_type", "monthly_capacity"]

    def __init__(self, *args, businesses, shown, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["business"]
        field.queryset = businesses
        field.widget.choices = [(b.pk, business_label(b)) for b in shown]

    def clean_photos(self):
        # Checked before anything is saved, so a bad photo leaves no file behind.
        photos = self.cleaned_data["photos"]
        if len(photos) > services.MAX_PHOTOS:
            raise ValidationError(services.TOO_MANY_PHOTOS)
        return [services.image_checked(photo) for photo in photos]


class MaterialForm(forms.Form):
    material = forms.ModelChoiceField(
        label=_("Material"), queryset=Material.objects.all(), required=False
    )
    monthly_quantity = forms.IntegerField(label=_("Quantity per month"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("monthly_quantity") is not None and not data.get("material"):
            self.add_error("material", MATERIAL_MISSING)
        return data


class BaseMaterialFormSet(forms.BaseFormSet):
    def needs(self):
        """[(Material, quantity)] of the rows that name a material; a missing quantity is
        0, which the service refuses with its message."""
        return [
            (form.cleaned_data["material"], form.cleaned_data.get("monthly_quantity") or 0)
            for form in self.forms
            if form.cleaned_data.get("material")
        ]


MaterialFormSet = forms.formset_factory(MaterialForm, formset=BaseMaterialFormSet, extra=3)


def material_formset(data=None, declaration=None):
    initial = None
    if declaration is not None:
        initial = [
            {"material": need.material, "monthly_quantity": need.monthly_quantity}
            for need in declaration.materials.select_related("material")
        ]
    return MaterialFormSet(data, initial=initial, prefix="materials")


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class AssignForm(forms.Form):
    """The curator to hand the declarations ticked on the list (`declaration` ids) to."""

    curator = forms.ModelChoiceField(label=_("Curator"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = curator_choices()

    def declaration_ids(self):
        """The ids ticked; what is not an id is left out."""
        ids = (parsed_id(value) for value in self.data.getlist("declaration"))
        return [pk for pk in ids if pk is not None]


class ResubmitForm(forms.Form):
    note = forms.CharField(
        label=_("What was improved"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


PASSED_CHOICES = [("yes", _("Passed")), ("no", _("Not passed"))]


class CurationForm(forms.Form):
    """The checklist as a form: per criterion passed/failed (or the measured value when
    it has a minimum), a note and a photo of evidence; then the outcome."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[(AUTOMATIC, _("From the checklist")), *capitalised(Curation.Outcome)],
        help_text=_(
            "From the checklist: curated when every required criterion passed, "
            "otherwise needs improvement."
        ),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for needs improvement and rejected."),
    )

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(checklist.criteria.all())
        for criterion in self.criteria:
            key = f"c{criterion.pk}"
            if criterion.minimum is None:
                self.fields[f"{key}_passed"] = forms.ChoiceField(
                    label=criterion.text,
                    choices=PASSED_CHOICES,
                    required=False,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[f"{key}_value"] = forms.DecimalField(
                    label=_("Measured value (%(unit)s)") % {"unit": criterion.value_unit or "—"},
                    required=False,
                    max_digits=10,
                    decimal_places=2,
                )
            self.fields[f"{key}_note"] = forms.CharField(
                label=_("Note"), required=False, max_length=500
            )
            self.fields[f"{key}_evidence"] = forms.FileField(
                label=_("Photo evidence"),
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
            )

    def rows(self):
        """Each criterion with its bound fields, in the checklist's order."""
        for criterion in self.criteria:
            key = f"c{criterion.pk}"
            yield {
                "criterion": criterion,
                "passed": self[f"{key}_passed"] if criterion.minimum is None else None,
                "value": self[f"{key}_value"] if criterion.minimum is not None else None,
                "note": self[f"{key}_note"],
                "evidence": self[f"{key}_evidence"],
            }

    def results(self):
        """The service's `results`: criterion id → its answer."""
        data = self.cleaned_data
        answers = {}
        for criterion in self.criteria:
            key = f"c{criterion.pk}"
            passed = data.get(f"{key}_passed")
            answers[criterion.pk] = {
                "passed": {"yes": True, "no": False}.get(passed),
                "value": data.get(f"{key}_value"),
                "note": data.get(f"{key}_note", ""),
                "evidence": data.get(f"{key}_evidence"),
            }
        return answers


class ChecklistForm(forms.Form):
    standard = forms.CharField(label=_("Standard"), max_length=100, required=False)


class CriterionForm(forms.Form):
    text = forms.CharField(label=_("Criterion"), max_length=300, required=False)
    minimum = forms.DecimalField(
        label=_("Minimum value"), required=False, max_digits=10, decimal_places=2, min_value=0
    )
    value_unit = forms.CharField(label=_("Unit of the value"), max_length=20, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)


class BaseCriterionFormSet(forms.BaseFormSet):
    def criteria(self):
        """[(text, minimum, unit, required)] of the rows with a text."""
        return [
            (
                form.cleaned_data["text"],
                form.cleaned_data.get("minimum"),
                form.cleaned_data.get("value_unit", ""),
                form.cleaned_data.get("required", False),
            )
            for form in self.forms
            if form.cleaned_data.get("text")
        ]


CriterionFormSet = forms.formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=3)


def criterion_formset(data=None, checklist=None):
    initial = None
    if checklist is not None:
        initial = [
            {
                "text": c.text,
                "minimum": c.minimum,
                "value_unit": c.value_unit,
                "required": c.required,
            }
            for c in checklist.criteria.all()
        ]
    return CriterionFormSet(data, initial=initial, prefix="criteria")
