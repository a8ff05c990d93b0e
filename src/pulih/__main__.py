"""The `pulih` command: Django's manage.py for this project."""

import os
import sys

# Command names with a hyphen, which a Python module name cannot have.
HYPHENATED = {"dedup-file": "dedup_file"}
# Commands that only read and write files: they sign nothing and touch no database, so
# they run without the secret key that serving pages needs.
FILE_TOOLS = {"dedup_file"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulih.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1:
        argv[1] = HYPHENATED.get(argv[1], argv[1])
        if argv[1] in FILE_TOOLS:
            os.environ["PULIH_FILE_TOOL"] = "true"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
