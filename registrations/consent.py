"""The consent text shown on the registration form; its version is recorded with each consent."""

from django.utils.translation import gettext_lazy as _

# Change the version whenever the text changes in substance.
CONSENT_TEXT_VERSION = "2026-11"
CONSENT_PROCESSING_TEXT = _(
    "I agree that the organizers process my personal data to manage my registration "
    "and to send me information about this meeting."
)
CONSENT_LISTING_TEXT = _(
    "Show my name and organisation in the list of participants, so other clusters can contact me."
)
