"""Replace the packaged region data with a newer release of the npm package idn-area-data.

Run by a developer, not in production: the result is committed, so the app itself never
downloads anything. Everything is read and checked before any file is written.
"""

import datetime
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pulih.wilayah.data import DATA_DIR, LEVELS, parse_csv, read_rows, retired_regencies, write_gzip

PACKAGE = "idn-area-data"
SOURCE_LINE = re.compile(r"^Source: .*$", re.MULTILINE)


class Command(BaseCommand):
    help = "Refresh the packaged region data from a release of the npm package idn-area-data."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the npm release here, replacing Django's "print Django's version".
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--version", dest="release", default="latest", help="npm version")
        parser.add_argument("--tarball", type=Path, help=f"a local {PACKAGE}-*.tgz (no npm)")
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="where to write")

    def handle(self, *args, release, tarball, data_dir, **options):
        if tarball is None:
            with tempfile.TemporaryDirectory() as tmp:
                package = read_tarball(npm_pack(release, Path(tmp)))
        else:
            package = read_tarball(tarball)

        notice_path = data_dir / "NOTICE.md"
        notice = notice_path.read_text(encoding="utf-8") if notice_path.exists() else ""
        if not SOURCE_LINE.search(notice):
            raise CommandError(f"{notice_path} has no 'Source:' line to update.")

        old_counts = {level: count_rows(level, data_dir) for level in LEVELS}
        for level in LEVELS:
            write_gzip(data_dir / f"{level}.csv.gz", package["csv"][level].encode())
        (data_dir / "LICENSE-ODbL.md").write_text(package["licence"], encoding="utf-8")
        source = (
            f"Source: {PACKAGE} {package['version']} (npm), "
            f"taken on {datetime.date.today().isoformat()}."
        )
        notice_path.write_text(SOURCE_LINE.sub(source, notice, count=1), encoding="utf-8")

        self.stdout.write(f"{PACKAGE} {package['version']} written to {data_dir}")
        for level in LEVELS:
            new = len(package["rows"][level])
            old = "-" if old_counts[level] is None else old_counts[level]
            self.stdout.write(f"  {level:<10} {old:>7} → {new:>7}")
        for warning in retired_code_warnings(package["rows"]["regencies"], data_dir):
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write("Now run: pulih wilayah_load")


def npm_pack(release, directory):
    """Download the release tarball with npm, the package's own registry client."""
    npm = shutil.which("npm")
    if npm is None:
        raise CommandError(
            "npm is not installed. Install Node.js/npm, or download "
            f"{PACKAGE}-<version>.tgz yourself and pass --tarball."
        )
    result = subprocess.run(  # noqa: S603 -- fixed argument list, no shell
        [npm, "pack", f"{PACKAGE}@{release}", "--silent"],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise CommandError(f"npm pack failed: {result.stderr.strip()}")
    return directory / result.stdout.strip().splitlines()[-1]


def read_tarball(path):
    """The version, CSV texts, parsed rows and data licence of an idn-area-data tarball."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            manifest = json.loads(member_text(tar, "package/package.json"))
            csv_texts = {level: member_text(tar, f"package/data/{level}.csv") for level in LEVELS}
            licence = member_text(tar, "package/data/LICENSE.md")
    except (OSError, tarfile.TarError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from exc
    if manifest.get("name") != PACKAGE:
        raise CommandError(f"{path} is not the {PACKAGE} package.")
    try:
        rows = {level: parse_csv(level, csv_texts[level]) for level in LEVELS}
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    check_parents(rows)
    return {"version": manifest["version"], "csv": csv_texts, "rows": rows, "licence": licence}


def member_text(tar, name):
    try:
        member = tar.extractfile(name)
    except KeyError as exc:
        raise CommandError(f"The tarball has no {name}.") from exc
    if member is None:
        raise CommandError(f"{name} in the tarball is not a file.")
    return member.read().decode("utf-8")


def check_parents(rows):
    """Every region's parent must exist, or `wilayah_load` would fail halfway."""
    for parent_level, level in zip(LEVELS, LEVELS[1:], strict=False):
        parents = {row[0] for row in rows[parent_level]}
        orphans = [row[0] for row in rows[level] if row[1] not in parents]
        if orphans:
            raise CommandError(f"{level}: {len(orphans)} rows without a parent, e.g. {orphans[0]}")


def count_rows(level, data_dir):
    try:
        return len(read_rows(level, data_dir))
    except FileNotFoundError:
        return None


def retired_code_warnings(regencies, data_dir):
    """Retired regency codes must stay retired and point at codes that exist."""
    codes = {row[0] for row in regencies}
    try:
        retired = retired_regencies(data_dir)
    except FileNotFoundError:
        return []
    warnings = []
    for old, (name, successor) in retired.items():
        if old in codes:
            warnings.append(f"retired_regencies.csv: {old} ({name}) is in use again.")
        if successor not in codes:
            warnings.append(f"retired_regencies.csv: successor {successor} ({name}) is missing.")
    return warnings
