"""Messages users see from sign-in; tests assert on these."""

from django.utils.translation import gettext_lazy as _

LOGIN_FAILED = _("Wrong username or password.")
LOCKED_OUT = _(
    "This account is locked for a while after too many failed sign-in attempts. "
    "Try again later or contact your administrator."
)
