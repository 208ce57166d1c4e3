from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Imported here, once the models are loaded, for what importing them does: the
        # system checks, the receivers of events' and the agenda's signals, and the
        # personal calendar in the agenda's exporter registry.
        from registrations import calendar, checks, receivers  # noqa: F401, PLC0415
        from registrations.emails import email_builders_register  # noqa: PLC0415

        email_builders_register()
