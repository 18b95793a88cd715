import atexit

from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the application: deployment checks, backup and restore, retries, the data
    version that cached figures are keyed on."""

    name = "profploeg.operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from .versioning import flush_all, flush_at_exit, pause, resume, watch

        connection_created.connect(watch, dispatch_uid="profploeg-data-version")
        pre_migrate.connect(pause, dispatch_uid="profploeg-data-version-pause")
        post_migrate.connect(resume, dispatch_uid="profploeg-data-version-resume")
        request_finished.connect(flush_all, dispatch_uid="profploeg-data-version-flush")
        atexit.register(flush_at_exit)
