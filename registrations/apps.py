from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Imported here because these modules import models, which exist only now.
        from registrations import checks  # noqa: F401, PLC0415  (registers the system checks)
        from registrations.emails import email_builders_register  # noqa: PLC0415

        email_builders_register()
