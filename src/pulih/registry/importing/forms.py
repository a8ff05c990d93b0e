from django import forms
from django.utils.translation import gettext_lazy as _

from .reading import EXTENSIONS


class ImportForm(forms.Form):
    """The upload; the regency is asked only of users who may choose one."""

    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    regency = forms.ChoiceField(label=_("Regency/city"), required=False)

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        if len(regencies) == 1:
            del self.fields["regency"]
        else:
            self.fields["regency"].required = True
            self.fields["regency"].choices = [("", _("— choose —"))] + [
                (regency.code, f"{regency.name} ({regency.code})") for regency in regencies
            ]
