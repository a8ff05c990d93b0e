"""Run the web server (gunicorn) and the task worker together; Ctrl-C stops both."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pulih.accounts.services import DEMO_PASSWORD, DEMO_PERSONAS


class Command(BaseCommand):
    help = "Start gunicorn on 127.0.0.1:PORT and the background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, **options):
        address = f"{options['host']}:{options['port']}"
        bin_dir = os.path.dirname(sys.executable)
        web = subprocess.Popen(  # noqa: S603 — fixed argument list
            [
                os.path.join(bin_dir, "gunicorn"),
                "pulih.wsgi:application",
                "--bind",
                address,
                "--workers",
                str(options["workers"]),
                "--access-logfile",
                "-",
            ]
        )
        worker = subprocess.Popen([sys.executable, "-m", "pulih", "db_worker"])  # noqa: S603
        time.sleep(2)  # a port already in use makes gunicorn exit at once
        if web.poll() is None:
            self.stdout.write(self.style.SUCCESS(f"pulih: http://{address}/"))
        self.stdout.write(f"Personas (password {DEMO_PASSWORD}): {', '.join(DEMO_PERSONAS)}")
        self.stdout.write("Ctrl-C stops the web server and the worker.")
        children = [web, worker]
        # SIGTERM (a process manager stopping us) ends both children, as Ctrl-C does.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child.returncode for child in children if child.returncode not in (0, -15)]
        if failed:
            raise CommandError(f"pulih stopped: a process exited with code {failed[0]}.")


def _interrupt(signum, frame):
    raise KeyboardInterrupt
