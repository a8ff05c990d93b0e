import datetime

from django.utils import translation

from pulih.core import formats


def test_rupiah_uses_dots_for_thousands():
    with translation.override("id"):
        assert formats.rupiah(11000) == "Rp 11.000"
        assert formats.rupiah(2_400_000) == "Rp 2.400.000"
        assert formats.rupiah(-5000) == "-Rp 5.000"
        assert formats.rupiah(None) == ""


def test_dates_read_as_in_indonesian_letters():
    with translation.override("id"):
        assert formats.date(datetime.date(2020, 4, 7)) == "7 April 2020"
        assert formats.date(datetime.date(2020, 8, 17)) == "17 Agustus 2020"
    with translation.override("en"):
        assert formats.date(datetime.date(2020, 8, 17)) == "17 August 2020"


def test_aware_datetimes_are_shown_in_jakarta_time():
    moment = datetime.datetime(2020, 4, 9, 20, 30, tzinfo=datetime.UTC)
    with translation.override("id"):
        assert formats.date(moment) == "10 April 2020"


def test_weights_switch_to_tonnes_from_a_tonne():
    with translation.override("id"):
        assert formats.weight(2900) == "2,9 t"
        assert formats.weight(20) == "20 kg"
        assert formats.weight(12.5) == "12,5 kg"
