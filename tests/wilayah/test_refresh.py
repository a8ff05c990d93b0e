"""`wilayah_refresh`: a new idn-area-data release replaces the packaged files, checked first.

Every test writes into a temporary data directory, never the package's own.
"""

import datetime
import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command

from pulih.wilayah.data import read_rows

CSV = {
    "provinces": "code,name\n19,Kepulauan Bangka Belitung\n",
    "regencies": "code,province_code,name\n19.01,19,Kabupaten Bangka\n",
    "districts": "code,regency_code,name\n19.01.01,19.01,Sungailiat\n",
    "villages": (
        "code,district_code,name\n19.01.01.1001,19.01.01,Sungailiat\n"
        '19.01.01.1002,19.01.01,"Sri Menanti, Baru"\n'
    ),
}


def build_tarball(path, *, name="idn-area-data", version="9.9.9", csv=CSV):
    files = {
        "package/package.json": json.dumps({"name": name, "version": version}),
        "package/data/LICENSE.md": "# Open Database License (ODbL)\n",
        **{f"package/data/{level}.csv": text for level, text in csv.items()},
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def data_dir(tmp_path):
    directory = tmp_path / "data"
    directory.mkdir()
    (directory / "NOTICE.md").write_text(
        "# Notice\n\nSource: idn-area-data 1.0.0 (npm), taken on 2020-01-01.\n\nMore text.\n"
    )
    return directory


def refresh(tarball, data_dir):
    out = io.StringIO()
    call_command("wilayah_refresh", tarball=tarball, data_dir=data_dir, stdout=out)
    return out.getvalue()


def test_it_writes_the_release_data_licence_and_source_line(tmp_path, data_dir):
    output = refresh(build_tarball(tmp_path / "idn-area-data-9.9.9.tgz"), data_dir)
    assert read_rows("villages", data_dir)[1] == ("19.01.01.1002", "19.01.01", "Sri Menanti, Baru")
    assert (data_dir / "LICENSE-ODbL.md").read_text().startswith("# Open Database License")
    notice = (data_dir / "NOTICE.md").read_text()
    today = datetime.date.today().isoformat()
    assert f"Source: idn-area-data 9.9.9 (npm), taken on {today}." in notice
    assert "1.0.0" not in notice
    assert "More text." in notice
    assert "idn-area-data 9.9.9" in output


def test_it_prints_old_and_new_counts(tmp_path, data_dir):
    refresh(build_tarball(tmp_path / "old.tgz"), data_dir)
    more = {**CSV, "villages": CSV["villages"] + "19.01.01.1003,19.01.01,Kudai\n"}
    output = refresh(build_tarball(tmp_path / "new.tgz", csv=more), data_dir)
    assert "villages         2 →       3" in output


def test_the_same_release_gives_byte_identical_files(tmp_path, data_dir):
    tarball = build_tarball(tmp_path / "release.tgz")
    refresh(tarball, data_dir)
    first = (data_dir / "villages.csv.gz").read_bytes()
    refresh(tarball, data_dir)
    assert (data_dir / "villages.csv.gz").read_bytes() == first


def test_it_refuses_changed_columns_and_writes_nothing(tmp_path, data_dir):
    bad = {**CSV, "districts": "kode,regency_code,nama\n19.01.01,19.01,Sungailiat\n"}
    with pytest.raises(CommandError, match="districts.csv: expected columns"):
        refresh(build_tarball(tmp_path / "bad.tgz", csv=bad), data_dir)
    assert not (data_dir / "provinces.csv.gz").exists()


def test_it_refuses_regions_whose_parent_is_missing(tmp_path, data_dir):
    bad = {**CSV, "villages": CSV["villages"] + "19.01.02.2001,19.01.02,Lost\n"}
    with pytest.raises(CommandError, match="villages: 1 rows without a parent"):
        refresh(build_tarball(tmp_path / "orphan.tgz", csv=bad), data_dir)


def test_it_refuses_a_tarball_of_another_package(tmp_path, data_dir):
    tarball = build_tarball(tmp_path / "left-pad-1.0.0.tgz", name="left-pad")
    with pytest.raises(CommandError, match="is not the idn-area-data package"):
        refresh(tarball, data_dir)


def test_without_npm_it_says_how_to_proceed(monkeypatch, data_dir):
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(CommandError, match="npm is not installed.*--tarball"):
        call_command("wilayah_refresh", version="4.0.1", data_dir=data_dir)
