from django import forms
from django.utils.translation import gettext_lazy as _

from .services import NIK_BULK_LIMIT


class NikForm(forms.Form):
    nik = forms.CharField(label=_("NIK"), max_length=40)


class NikBulkForm(forms.Form):
    niks = forms.CharField(
        label=_("NIKs, one per line"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean_niks(self):
        lines = [line for line in self.cleaned_data["niks"].splitlines() if line.strip()]
        if len(lines) > NIK_BULK_LIMIT:
            raise forms.ValidationError(
                _("Too many lines: %(count)s; at most %(limit)s at once.")
                % {"count": len(lines), "limit": NIK_BULK_LIMIT}
            )
        return self.cleaned_data["niks"]
