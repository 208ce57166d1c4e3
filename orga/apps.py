from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgaConfig(AppConfig):
    """The organizers' workspace: pages over the domain apps, no rules of its own."""

    name = "orga"
    verbose_name = _("Organizer workspace")
