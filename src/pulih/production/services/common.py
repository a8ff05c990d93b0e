"""What the declaration, curation and checklist services share: who may act on a
declaration, the uploaded-image check, and the limits and messages more than one of them
uses.
"""

import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

from pulih.accounts.models import Role

from ..models import OFFICERS, Declaration
from ..selectors import declarable_businesses

Status = Declaration.Status

DECLARANTS = {*OFFICERS, Role.PENJUAL}
MAX_PHOTO_MB = 5
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_NOTE = 500
# A measured value is stored with 10 digits, 2 of them decimals.
MAX_VALUE = Decimal("99999999.99")
PHOTO_NOT_IMAGE = _("The photo is not a JPEG, PNG or WebP image.")
PHOTO_TOO_LARGE = _("A photo may be at most 5 MB.")
NOTE_TOO_LONG = _("A note may be at most 500 characters.")


def _allowed(user, roles):
    if not (user.is_superuser or user.role in roles):
        raise PermissionDenied


def _declarant_check(user, declaration):
    """The user may act for the declaration's business: its seller, or an officer of its
    area. Pages and the API find out-of-scope declarations 404 before coming here."""
    _allowed(user, DECLARANTS)
    if not declarable_businesses(user).filter(pk=declaration.business_id).exists():
        raise PermissionDenied


def image_checked(image):
    """An uploaded image Pillow can read (JPEG, PNG or WebP) of at most MAX_PHOTO_MB,
    renamed to a random name: the original name may say more than the photo."""
    if image.size > MAX_PHOTO_MB * 1024 * 1024:
        raise ValidationError(PHOTO_TOO_LARGE)
    try:
        image.seek(0)
        with Image.open(image) as opened:
            kind = opened.format
            opened.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(PHOTO_NOT_IMAGE) from exc
    finally:
        image.seek(0)
    if kind not in IMAGE_EXTENSIONS:
        raise ValidationError(PHOTO_NOT_IMAGE)
    image.name = f"{secrets.token_hex(8)}.{IMAGE_EXTENSIONS[kind]}"
    return image


def _locked(declaration):
    return Declaration.objects.select_for_update().get(pk=declaration.pk)
