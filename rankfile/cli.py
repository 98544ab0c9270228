"""The ``rankfile`` command: Django's management commands under one name (rankfile serve, demo, migrate, ...)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rankfile.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rankfile", *sys.argv[1:]])


if __name__ == "__main__":
    main()
