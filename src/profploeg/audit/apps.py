from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who changed what and when, for the objects the programme is accountable for."""

    name = "profploeg.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.apps import apps

        from .registry import AUDITED

        for label, options in AUDITED.items():
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            register = dict(options.get("register", {}))
            excluded = set(register.pop("exclude_fields", ()))
            # Only the row's own columns: the reverse relations would log as noise.
            fields = [f.name for f in model._meta.concrete_fields if f.name not in excluded]
            auditlog.register(model, include_fields=fields, **register)
