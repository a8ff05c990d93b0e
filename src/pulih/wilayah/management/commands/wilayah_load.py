"""Load the packaged region list into the database (run by `pulih setup`; safe to repeat)."""

import time

from django.core.management.base import BaseCommand

from pulih.wilayah.data import LEVELS
from pulih.wilayah.services import regions_load


class Command(BaseCommand):
    help = "Load provinces, regencies, districts and villages from the packaged data."

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = regions_load()
        seconds = time.perf_counter() - started
        if options["verbosity"] == 0:
            return
        counts = ", ".join(f"{result.counts[level]} {level}" for level in LEVELS)
        if not result.changed:
            self.stdout.write(
                f"Regions already up to date ({counts}); nothing to do. {seconds:.2f} s"
            )
            return
        self.stdout.write(f"Regions loaded: {counts}. {seconds:.2f} s")
        for level in LEVELS:
            self.stdout.write(
                f"  {level:<10} {result.written[level]:>7} written, "
                f"{result.removed[level]:>5} removed"
            )
            if result.kept[level]:
                self.stderr.write(
                    self.style.WARNING(
                        f"  {level}: {len(result.kept[level])} no longer in the data but still "
                        f"referenced, kept: {', '.join(result.kept[level][:10])}"
                    )
                )
