"""`pulih dedup-file IN --out OUT [--map field=column ...] [--threshold P]
[--backend duckdb|spark]`: the people model over a CSV or XLSX file, outside the database.

OUT is IN's rows unchanged plus `cluster_id` and `match_probability`. Progress goes to
stderr; the last line of stdout is a JSON summary, so a script can read it with
`tail -n 1`. A file that cannot be used fails with its reason in Indonesian and English.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from pulih.dedup.dedupfile import (
    ALIASES,
    Refused,
    dedup_file,
    mapping_parse,
    threshold_parse,
)
from pulih.dedup.features import FIELDS
from pulih.dedup.services import THRESHOLD


class Command(BaseCommand):
    help = (
        "Find the same person written several times in a CSV or XLSX file; write the rows "
        "with cluster_id and match_probability. Columns are found by their headers: "
        + "; ".join(f"{field}: {', '.join(ALIASES[field])}" for field in FIELDS)
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV, XLSX, XLS or ODS file of people")
        parser.add_argument("--out", required=True, help="output file, .csv or .xlsx")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=f"use COLUMN for FIELD ({', '.join(FIELDS)}); FIELD= leaves the field out",
        )
        parser.add_argument(
            "--threshold",
            default=str(THRESHOLD),
            help=f"match probability that joins two rows, between 0 and 1 (default {THRESHOLD})",
        )
        parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")

    def handle(self, *args, **options):
        try:
            mapping = mapping_parse(options["map"])
            threshold = threshold_parse(options["threshold"])
            summary = dedup_file(
                source=options["file"],
                out=options["out"],
                mapping=mapping,
                threshold=threshold,
                backend=options["backend"],
                log=self.stderr.write,
            )
        except Refused as refusal:
            problem = refusal.problem
            self.stdout.write(
                json.dumps(
                    {"status": "refused", "file": options["file"], **problem.to_dict()},
                    ensure_ascii=False,
                )
            )
            raise CommandError(f"{problem.id}\n{problem.en}") from refusal
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
