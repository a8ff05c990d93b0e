"""The in-memory index of the packaged data that NIK parsing uses: no database needed."""

from pulih.wilayah.data import nik_check, read_rows, region_index, retired_regencies


def test_it_answers_for_provinces_regencies_and_districts():
    index = region_index()
    assert index.has_province("19")
    assert index.province_name("19") == "Kepulauan Bangka Belitung"
    assert index.has_regency("19.01")
    assert index.regency_name("19.01") == "Kabupaten Bangka"
    assert index.has_district("19.01.01")
    assert not index.has_province("20")
    assert not index.has_regency("19.99")
    assert not index.has_district("19.01.99")
    assert index.district_name("19.01.99") is None


def test_it_knows_the_new_code_of_a_regency_moved_to_a_new_papua_province():
    index = region_index()
    assert not index.has_regency("91.01")
    assert index.retired_regency("91.01") == "93.01"
    assert index.regency_name("93.01") == "Kabupaten Merauke"
    assert index.retired_regency("19.01") is None


def test_every_retired_code_is_gone_and_its_successor_exists_with_the_same_name():
    current = {code: name for code, _, name in read_rows("regencies")}
    retired = retired_regencies()
    assert len(retired) == 26
    for old, (name, successor) in retired.items():
        assert old not in current
        assert current[successor] == name


def test_it_is_built_once_per_process():
    assert region_index() is region_index()


def test_nik_check_decodes_a_bangka_nik_with_region_names():
    result = nik_check("1901014107900003")
    assert result.valid
    assert result.province_name == "Kepulauan Bangka Belitung"
    assert result.regency_name == "Kabupaten Bangka"
    assert result.district_name == region_index().district_name("19.01.01")
    assert result.sex == "F"


def test_nik_check_accepts_a_pre_2022_papua_nik_with_a_warning():
    result = nik_check("9101011507850001")
    assert result.valid
    assert result.current_regency_code == "93.01"
    assert result.regency_name == "Kabupaten Merauke"
    assert [w.code for w in result.warnings] == ["nik_regency_retired"]
