from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self) -> None:
        # Imported for its side effect, once the models are loaded: connecting the
        # receivers of events' signals.
        from agenda import receivers  # noqa: F401, PLC0415
