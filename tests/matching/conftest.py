"""Fixtures of the matching tests."""

import pytest
from django.utils import translation


@pytest.fixture
def messages_in_english():
    """Service messages in English, whatever language an earlier test left active (a test
    client's request activates its own): the texts asserted are the English originals."""
    with translation.override("en"):
        yield
