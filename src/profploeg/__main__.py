import os
import sys


def main() -> None:
    """The `profploeg` console script: Django's management commands with our settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "profploeg.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
