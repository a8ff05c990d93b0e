"""Time a deduplication run inside the app: a fresh database holding N people from the
synthetic generator, then one national run (`dedup.services.run_execute`, as the
background task does it): reading the records, training and scoring, storing the pairs
and forming the entities with their golden records.

    .venv/bin/python -m bench.dedup_run [--people N] [--database-url URL]

Prints the run's counts and seconds as JSON on the last line.
"""

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.dedup_data import generate_people
from bench.dedup_online import populate
from bench.list_businesses import setup_django


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pulih-bench-") as workdir:
        setup_django(Path(workdir), args.database_url)
        run(args.people)


def run(size):
    from django.db import connection

    from pulih.dedup.models import DedupRun
    from pulih.dedup.services import REVIEW_FLOOR, THRESHOLD, run_execute

    populate(generate_people(size, seed=3))
    started = time.monotonic()
    result = run_execute(
        run=DedupRun.objects.create(threshold=THRESHOLD, review_floor=REVIEW_FLOOR)
    )
    seconds = time.monotonic() - started
    print(
        json.dumps(
            {
                "benchmark": "dedup_run",
                "people": result.records,
                "database": connection.vendor,
                "seconds": round(seconds, 1),
                "pairs": result.pairs,
                "linked": result.linked,
                "to_review": result.to_review,
                "entities": result.entities,
                "peak_memory_gib": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2
                ),
                "date": date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"{platform.python_implementation()} {platform.python_version()}",
            }
        )
    )


if __name__ == "__main__":
    main()
