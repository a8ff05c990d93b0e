import pytest

from pulih.wilayah.models import Village


@pytest.fixture
def villages(regions):
    """A real village in each of Sungailiat (19.01.01, a field assistant's district),
    Merawang (19.01.03, not theirs) and Tanjungpandan (19.02.01, Belitung)."""
    return {
        code: Village.objects.filter(district_id=code).order_by("code").first().code
        for code in ("19.01.01", "19.01.03", "19.02.01")
    }
