"""`wilayah_load`: the database holds exactly the packaged data, and repeating is free."""

import csv
import gzip
import io
import shutil

import pytest
from django.core.management import call_command

from pulih.wilayah.data import DATA_DIR, read_rows
from pulih.wilayah.models import District, Province, Regency, Village
from pulih.wilayah.services import regions_load


def test_it_loads_every_level_of_the_packaged_data(regions):
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert District.objects.count() == len(read_rows("districts"))
    assert Village.objects.count() == len(read_rows("villages"))
    assert Regency.objects.get(code="19.01").province_id == "19"


def test_loading_again_changes_nothing(regions):
    result = regions_load()
    assert not result.changed
    assert result.counts["villages"] == Village.objects.count()


def test_loading_again_says_there_is_nothing_to_do(regions, capsys):
    call_command("wilayah_load")
    assert "nothing to do" in capsys.readouterr().out


def test_it_is_silent_at_verbosity_zero(regions, capsys):
    call_command("wilayah_load", verbosity=0)
    assert capsys.readouterr().out == ""


@pytest.fixture
def changed_data(tmp_path):
    """A copy of the packaged data with one village renamed, one dropped, and one
    district dropped while its villages stay."""
    for path in DATA_DIR.iterdir():
        shutil.copy(path, tmp_path)
    villages = read_rows("villages")
    renamed, dropped = villages[0], villages[1]
    rows = [(renamed[0], renamed[1], "Desa Baru"), *villages[2:]]
    write_csv(tmp_path / "villages.csv.gz", "code,district_code,name", rows)
    districts = read_rows("districts")
    kept_district = renamed[1]
    write_csv(
        tmp_path / "districts.csv.gz",
        "code,regency_code,name",
        [row for row in districts if row[0] != kept_district],
    )
    return tmp_path, renamed[0], dropped[0], kept_district


def write_csv(path, header, rows):
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([header.split(","), *rows])
    path.write_bytes(gzip.compress(text.getvalue().encode()))


def test_it_renames_and_removes_to_match_new_data_but_keeps_regions_still_referenced(
    regions, changed_data
):
    data_dir, renamed, dropped, kept_district = changed_data
    result = regions_load(data_dir=data_dir)
    assert Village.objects.get(code=renamed).name == "Desa Baru"
    assert not Village.objects.filter(code=dropped).exists()
    assert result.written["villages"] == 1
    assert result.removed == {"provinces": 0, "regencies": 0, "districts": 0, "villages": 1}
    # Its villages are still in the data, so the district cannot go.
    assert District.objects.filter(code=kept_district).exists()
    assert result.kept["districts"] == [kept_district]
