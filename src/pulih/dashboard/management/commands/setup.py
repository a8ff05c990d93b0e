from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare the database: migrate, load the regions, load the demo (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Skip the demo scenario.")

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=0)
        call_command("wilayah_load", verbosity=verbosity)
        if not options["no_demo"]:
            call_command("demo", verbosity=verbosity)
