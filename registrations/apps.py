from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Imported here, once the models are loaded, for what importing them does: the
        # system checks, the receivers of events' and the agenda's signals, the
        # personal calendar in the agenda's exporter registry and the seat counter in
        # the agenda's seats (agenda.seats).
        from registrations import calendar, checks, receivers, seats  # noqa: F401, PLC0415
        from registrations.emails import email_builders_register  # noqa: PLC0415

        email_builders_register()
