"""Time `wilayah_load` on a fresh SQLite file: a cold load of all ~84,000 villages, then a
warm run that finds nothing to do. Also times building the in-memory region index.

    DEBUG=true .venv/bin/python bench/wilayah_load.py     (or: make bench)
"""

import os
import platform
import sys
import tempfile
import time
from pathlib import Path


def main():
    with tempfile.TemporaryDirectory(prefix="pulih-bench-") as workdir:
        run(Path(workdir))


def run(workdir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "pulih.settings"
    os.environ["DEBUG"] = "true"
    os.environ["PULIH_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from pulih.wilayah.data import build_index
    from pulih.wilayah.models import Village

    call_command("migrate", verbosity=0)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"database: {os.environ['DATABASE_URL']}")

    started = time.perf_counter()
    build_index()
    print(f"region index built:  {time.perf_counter() - started:6.2f} s")

    for run in ("cold", "warm"):
        started = time.perf_counter()
        call_command("wilayah_load", verbosity=0)
        print(f"wilayah_load {run}:   {time.perf_counter() - started:6.2f} s")
    print(f"villages loaded:     {Village.objects.count():6d}")
    connections.close_all()


if __name__ == "__main__":
    main()
