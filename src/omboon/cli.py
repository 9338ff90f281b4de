"""The ``omboon`` command: Django's management commands with Omboon's own listed first.

``omboon --help`` lists Omboon's commands with their Thai and English help;
``omboon django-help`` lists Django's own (migrate, runserver, createsuperuser, ...).
"""

from __future__ import annotations

import os
import sys


def _omboon_commands() -> dict[str, str]:
    from django.core.management import get_commands, load_command_class

    found = {}
    for name, app in sorted(get_commands().items()):
        if app.startswith("omboon."):
            cmd = load_command_class(app, name)
            found[name] = (cmd.help or "").strip()
    return found


def print_help() -> None:
    print("omboon — ระบบบริหารกองทุนชุมชน / community fund management\n")
    print("การใช้งาน / usage: omboon COMMAND [options]   (omboon COMMAND --help: รายละเอียด / details)\n")
    print("คำสั่ง / commands:")
    for name, text in _omboon_commands().items():
        name = name.replace("_", "-")
        first, *rest = text.splitlines() or [""]
        print(f"  {name:<18} {first}")
        for line in rest:
            print(f"  {'':<18} {line.strip()}")
    print("\n  django-help        คำสั่งของ Django (migrate, runserver, ...) / Django's own commands")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omboon.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # e.g. a server without OMBOON_SECRET_KEY: say why, briefly
        sys.exit(f"omboon: {exc}")
    if len(argv) < 2 or (argv[1] in {"-h", "--help", "help"} and len(argv) == 2):
        print_help()
        return
    if argv[1] == "django-help":
        _execute([argv[0], "help"])
        return
    _execute(argv)


def _execute(argv: list[str]) -> None:
    """Django's ``execute_from_command_line``, finding ``demo-logins`` in the ``demo_logins``
    module while the usage line keeps the name as typed (``usage: omboon loan-schedule ...``)."""
    from django.core.management import ManagementUtility

    class Utility(ManagementUtility):
        def fetch_command(self, subcommand):
            return super().fetch_command(command_name(subcommand))

    Utility(argv).execute()


def command_name(name: str) -> str:
    """``demo-logins`` runs the ``demo_logins`` command: a module name cannot hold a hyphen."""
    from django.core.management import get_commands

    if "-" in name and name not in get_commands() and name.replace("-", "_") in get_commands():
        return name.replace("-", "_")
    return name


if __name__ == "__main__":
    main()
