"""`pulih import FILE --user USERNAME [--dry-run] [--regency CODE]`: the web import, here
and now, for files too big to upload or for scripts.

Progress goes to stderr; the last line of stdout is a JSON summary, so a script can read
it with `tail -n 1`.
"""

import json
import time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation

from pulih.registry.importing.files import ImportFiles
from pulih.registry.importing.messages import ImportRefused
from pulih.registry.importing.services import import_run

ERRORS_SHOWN = 20


class ConsoleProgress:
    """Prints "Checking rows… 40,000 / 100,000" to stderr, once per chunk."""

    def __init__(self, stream):
        self.stream = stream
        self.total = self.done = 0
        self.message = ""

    def start(self, *, total, message=""):
        self.total, self.done, self.message = total, 0, message
        self.stream.write(message)

    def advance(self, n=1, *, message=None):
        self.done += n
        self.stream.write(f"{self.message} {self.done:,} / {self.total:,}")


class Command(BaseCommand):
    help = "Import affected UMKM from an XLSX, XLS, ODS or CSV file, as the web import does."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="username of the importing officer")
        parser.add_argument("--regency", help="regency code, e.g. 19.01 (province and centre)")
        parser.add_argument("--dry-run", action="store_true", help="check the rows, write none")
        parser.add_argument("--language", default="id", choices=["id", "en"])

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        started = time.perf_counter()
        with translation.override(options["language"]):
            try:
                result = import_run(
                    path=options["file"],
                    user=user,
                    regency_code=options["regency"],
                    dry_run=options["dry_run"],
                    language=options["language"],
                    progress=ConsoleProgress(self.stderr),
                )
            except ImportRefused as refusal:
                message = refusal.problem.text(options["language"])
                self._summary({"status": "refused", "file": options["file"], "message": message})
                raise CommandError(message) from refusal
            except Http404 as exc:
                raise CommandError(
                    f"{user.username} may not import into regency {options['regency']!r}."
                ) from exc
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self._summary(summary(result, options["file"], time.perf_counter() - started))

    def _summary(self, data):
        self.stdout.write(json.dumps(data, ensure_ascii=False))


def summary(result, path, seconds):
    """The JSON line: counts, where the rows went, the first errors, the timings."""
    files = ImportFiles.of(result["token"])
    return {
        "status": result["stage"],
        "file": str(path),
        "format": result["kind"],
        "regency_code": result["regency_code"],
        "counts": result["counts"],
        "error_count": result["error_count"],
        "warning_count": result["warning_count"],
        "errors": result["errors"][:ERRORS_SHOWN],
        "error_file": str(files.errors) if result["has_error_file"] else None,
        "batch": result.get("batch"),
        "written": result.get("written"),
        "seconds": {
            "validate": result["validate_seconds"],
            "write": result.get("write_seconds"),
            "total": round(seconds, 2),
        },
    }
