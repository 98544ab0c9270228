import argparse
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication


class RankfileServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Imported here, after collectstatic: whitenoise indexes the static files when the app loads.
        from rankfile.wsgi import application

        return application


def usable_cpus() -> int:
    """The CPUs this process may run on (a container's or a cgroup's share where the system says so)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def default_workers() -> int:
    """gunicorn's advice: twice the CPUs plus one, so that a worker waiting on the database leaves a CPU busy."""
    return 2 * usable_cpus() + 1


def argon2_slots_per_worker(workers: int) -> int:
    """Unless set, about one Argon2 derivation per CPU on the whole machine: the CPUs shared among the workers."""
    return max(1, usable_cpus() // workers)


class Command(BaseCommand):
    help = "Serve Rankfile with the production WSGI server (gunicorn); static files through whitenoise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=settings.BIND,
            help="address:port to listen on (default RANKFILE_BIND, else 127.0.0.1:8000: %(default)s)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=f"worker processes (default: twice the CPUs plus one, here {default_workers()})",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="skip collecting static files (when they were collected at install time)",
        )
        parser.add_argument("--access-log", action=argparse.BooleanOptionalAction, default=True)
        parser.add_argument(
            "--tick-every",
            type=int,
            default=300,
            metavar="SECONDS",
            help="run the deadline timers this often, in a process beside the server (0: not at all, when cron or "
            "a system timer runs `rankfile tick`; default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        options["workers"] = options["workers"] or default_workers()
        if not settings.ARGON2_CONCURRENCY:
            # Read by each worker at its first sign-in, after the fork.
            settings.ARGON2_CONCURRENCY = argon2_slots_per_worker(options["workers"])
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(
            f"Rankfile is serving {settings.ORG_NAME} on http://{options['bind']}/ with {options['workers']} worker "
            "processes (Ctrl+C stops it)"
        )
        if options["bind"] != settings.BIND and not os.getenv("RANKFILE_BASE_URL"):
            self.stderr.write(
                f"Links in email point at {settings.BASE_URL}, not at this address: set "
                f"RANKFILE_BIND={options['bind']} instead of --bind, or RANKFILE_BASE_URL to the address people use."
            )
        ticker = None
        if options["tick_every"] > 0:
            ticker = subprocess.Popen(  # noqa: S603  (this interpreter, this project's command)
                [sys.executable, "-m", "rankfile", "tick", "--every", str(options["tick_every"])]
            )
        try:
            self._serve(options)
        finally:
            if ticker is not None:
                ticker.terminate()
                ticker.wait(timeout=10)

    @staticmethod
    def _serve(options: dict[str, Any]) -> None:
        RankfileServer(server_settings(options)).run()


def server_settings(options: dict[str, Any]) -> dict[str, Any]:
    """gunicorn's settings for ``rankfile serve``'s options."""
    return {
        "bind": options["bind"],
        "workers": options["workers"],
        "accesslog": "-" if options["access_log"] else None,
        "errorlog": "-",
        "timeout": 60,
        "forwarded_allow_ips": "127.0.0.1",
        "logger_class": "rankfile.web.serverlog.RedactingLogger",
        # No control socket: it would be one more way to manage the server, and every server run by the same user on
        # one machine would share its one path ($HOME/.gunicorn/gunicorn.ctl).
        "control_socket_disable": True,
    }
