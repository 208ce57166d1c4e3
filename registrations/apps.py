from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Imported for what importing them does, once the models are loaded: registering the
        # system checks, connecting the receivers of events' and the agenda's signals, and
        # the personal calendar in the agenda's exporter registry.
        from registrations import calendar, checks, receivers  # noqa: F401, PLC0415
