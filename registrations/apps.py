from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Imported for what importing them does: registering the system checks, and the
        # personal calendar in the agenda's exporter registry.
        from registrations import calendar, checks  # noqa: F401
