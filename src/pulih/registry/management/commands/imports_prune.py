"""Delete what old imports left on disk: uploads, normalised rows and error workbooks.

They hold personal data and are only needed between an upload and its acceptance, or
while the officer fixes the invalid rows. Run it daily (cron or a systemd timer).
"""

import time

from django.core.management.base import BaseCommand

from pulih.registry.importing.files import imports_dir


class Command(BaseCommand):
    help = "Delete import files (uploads, rows, error workbooks) older than --days days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, **options):
        cutoff = time.time() - options["days"] * 86400
        removed = 0
        folder = imports_dir()
        for path in folder.iterdir() if folder.exists() else ():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        if options["verbosity"]:
            days = options["days"]
            self.stdout.write(f"{removed} import file(s) older than {days} days deleted.")
