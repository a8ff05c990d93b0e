"""Helpers of the declaration and curation tests.

- `media`: uploads go to a temporary folder, not var/media;
- `image(name, kind)`: a small real image upload (PNG by default);
- `assigned`: umkm-masker's cloth-mask declaration (`sehati`) handed by the province to
  the `kurator` persona's organisation, Karya Nusantara, awaiting its check;
- `answers(checklist, failed=(), values=None)`: every criterion answered — passed unless
  its text is in `failed`; `values` gives the measured value of criteria with a minimum
  (by text), or the minimum itself is measured;
- `other_seller`: a seller acting for another business, who must not reach Konveksi
  Sehati's declarations.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pulih.accounts.models import Organisation, Role
from pulih.accounts.services import user_create
from pulih.production import services


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def image():
    def make(name="foto.png", kind="PNG", size=(8, 8)):
        data = io.BytesIO()
        Image.new("RGB", size, (15, 107, 79)).save(data, kind)
        return SimpleUploadedFile(name, data.getvalue(), content_type=f"image/{kind.lower()}")

    return make


@pytest.fixture
def assigned(personas, sehati):
    services.declarations_assign(
        user=personas.prov_babel, declarations=[sehati], curator=personas.kurator.organisation
    )
    sehati.refresh_from_db()
    return sehati


@pytest.fixture
def answers():
    def make(checklist, failed=(), values=None):
        values = values or {}
        result = {}
        for criterion in checklist.criteria.all():
            if criterion.minimum is not None:
                result[criterion.pk] = {"value": values.get(criterion.text, criterion.minimum)}
            else:
                result[criterion.pk] = {"passed": criterion.text not in failed}
        return result

    return make


@pytest.fixture
def other_seller():
    organisation = Organisation.objects.create(
        name="Konveksi Lain", kind=Organisation.Kind.BUSINESS
    )
    return user_create(username="penjual-lain", role=Role.PENJUAL, organisation=organisation)
