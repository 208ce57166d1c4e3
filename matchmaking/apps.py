from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("B2B meetings")

    def ready(self) -> None:
        # Imported here, once the models are loaded, for what importing them does: the
        # receivers of the agenda's and registrations' signals, the 1:1 meetings in the
        # personal calendar, the B2B part of the private link page, and the email builders
        # of the B2B kinds (the schedule email and the day-after reminder have modules of
        # their own).
        from matchmaking import calendar, receivers, sections  # noqa: F401, PLC0415
        from matchmaking.emails import email_builders_register  # noqa: PLC0415
        from matchmaking.outcome_emails import outcome_email_builders_register  # noqa: PLC0415
        from matchmaking.schedule_emails import schedule_email_builder_register  # noqa: PLC0415

        email_builders_register()
        outcome_email_builders_register()
        schedule_email_builder_register()
