"""The ``rankfile`` command: Django's management commands under one name (rankfile serve, demo, migrate, ...)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rankfile.settings")
    from django.core.management import execute_from_command_line

    arguments = sys.argv[1:]
    # `rankfile import-members` and `rankfile import_members` are the same command.
    if arguments and not arguments[0].startswith("-"):
        arguments[0] = arguments[0].replace("-", "_")
    execute_from_command_line(["rankfile", *arguments])


if __name__ == "__main__":
    main()
