from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the application: deployment checks, backup and restore, retries."""

    name = "profploeg.operations"
    verbose_name = _("Operations")
