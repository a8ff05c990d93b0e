from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .messages import LOGIN_FAILED
from .models import Role


class LoginForm(AuthenticationForm):
    """Sign-in with one generic message, so the form never tells which part was wrong."""

    error_messages = {"invalid_login": LOGIN_FAILED, "inactive": LOGIN_FAILED}


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
