"""Uploaded photos: the one check every upload goes through (declarations, curation
evidence, products)."""

import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_PHOTO_MB = 5
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PHOTO_NOT_IMAGE = _("The photo is not a JPEG, PNG or WebP image.")
PHOTO_TOO_LARGE = _("A photo may be at most 5 MB.")


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
