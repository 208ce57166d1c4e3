from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Only now may modules that import models be imported.
        from registrations import checks  # noqa: F401  (registers the system checks)
        from registrations.emails import email_builders_register

        email_builders_register()
