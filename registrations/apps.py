from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Imported for their side effect, once the models are loaded: registering the
        # system checks, and connecting the receivers of events' and the agenda's signals.
        from registrations import checks, receivers  # noqa: F401, PLC0415
