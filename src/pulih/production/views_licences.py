"""Pages of licences and certificates: the list with its filters, the licences running
out, recording a licence and following it to the ministry's decision.

Officers see the licences of their area, a seller its own business's; to other roles
the pages do not exist (404), nor does a licence outside the user's scope.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.registry.selectors import list_page
from pulih.wilayah.selectors import province_list

from . import licences
from .models import OFFICERS, Licence, LicenceKind, ProductType

LICENCE_ROLES = (*OFFICERS, Role.PENJUAL)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = gettext_lazy("All")
FOR_ALL_PRODUCTS = gettext_lazy("All its products")
EXPIRING_DAYS = (30, 60, 90, 180)


def choices(enum):
    return [(value, capfirst(label)) for value, label in enum.choices]


def form_errors(form, error):
    """A service's refusal on the form: on its field where the form has one."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("You may not do this."))
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


class LicenceFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=[("", ALL), *choices(LicenceKind)]
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", ALL), *choices(Licence.Status)],
    )
    province = forms.ChoiceField(label=gettext_lazy("Province"), required=False)
    product = forms.ModelChoiceField(
        label=gettext_lazy("Product"),
        required=False,
        queryset=ProductType.objects.all(),
        empty_label=ALL,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [
            ("", ALL),
            *((p.code, p.name) for p in province_list()),
        ]

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class LicenceFields(forms.Form):
    """A licence's own fields; a seller chooses among the statuses before the decision."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=choices(LicenceKind))
    product_type = forms.ModelChoiceField(
        label=gettext_lazy("Product"),
        required=False,
        queryset=ProductType.objects.filter(active=True),
        empty_label=FOR_ALL_PRODUCTS,
    )
    issuer = forms.CharField(
        label=gettext_lazy("Issuer"),
        max_length=200,
        help_text=gettext_lazy("E.g. Kemenkes, BSN, BPJPH."),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=choices(Licence.Status))
    number = forms.CharField(label=gettext_lazy("Number"), max_length=100, required=False)
    applied_on = forms.DateField(
        label=gettext_lazy("Applied on"), required=False, widget=DATE_INPUT
    )
    granted_on = forms.DateField(
        label=gettext_lazy("Granted on"), required=False, widget=DATE_INPUT
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"), required=False, widget=DATE_INPUT
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=500, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not (user.is_superuser or user.role in licences.DECIDERS):
            self.fields["status"].choices = [
                (value, label)
                for value, label in self.fields["status"].choices
                if value not in licences.DECISIONS
            ]
            self.fields["status"].help_text = licences.DECISION_BY_OFFICERS


class LicenceRecordForm(LicenceFields):
    business = forms.ModelChoiceField(label=gettext_lazy("Business"), queryset=None)

    field_order = ["business"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["business"].queryset = licences.licence_businesses(user=user).order_by(
            "name", "pk"
        )


@role_required(*LICENCE_ROLES)
def licence_list(request):
    """The licences the user sees, filtered by kind, status, province and product."""
    form = LicenceFilterForm(request.GET or None)
    page = list_page(
        licences.licence_list(user=request.user, **form.filters()), request.GET.get("page")
    )
    return render(request, "production/licence_list.html", {"form": form, "page": page})


@role_required(*LICENCE_ROLES)
def licence_expiring(request):
    """Granted licences running out within the days chosen, and those already expired
    that nobody has renewed."""
    try:
        days = int(request.GET.get("hari", 60))
    except ValueError:
        days = 60
    days = days if days in EXPIRING_DAYS else 60
    expiring = licences.licences_expiring(user=request.user, within_days=days)
    context = {"expiring": expiring, "days": days, "day_choices": EXPIRING_DAYS}
    return render(request, "production/licence_expiring.html", context)


@role_required(*LICENCE_ROLES)
def licence_record(request):
    """Record a licence of a business: a producer of the officer's area, or the seller's
    own business."""
    initial = {"business": request.GET.get("usaha"), "status": Licence.Status.APPLIED}
    form = LicenceRecordForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            licence = licences.licence_record(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The licence was recorded."))
            return redirect("production:licence_detail", pk=licence.pk)
    return render(request, "production/licence_form.html", {"form": form})


def may_update(user, licence):
    """Officers of the area always; a seller until the ministry has decided."""
    if user.is_superuser or user.role in licences.DECIDERS:
        return True
    return licence.status not in licences.DECISIONS


@role_required(*LICENCE_ROLES)
def licence_detail(request, pk):
    """A licence, and the form that moves it forward."""
    licence = licences.licence_get(user=request.user, pk=pk)
    form = None
    if may_update(request.user, licence):
        initial = {name: getattr(licence, name) for name in licences.EDITABLE}
        form = LicenceFields(request.POST or None, initial=initial, user=request.user)
        if request.method == "POST" and form.is_valid():
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                licences.licence_update(user=request.user, licence=licence, **changed)
            except (ValidationError, PermissionDenied) as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The licence was updated."))
                return redirect("production:licence_detail", pk=licence.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "production/licence_detail.html", {"licence": licence, "form": form})
