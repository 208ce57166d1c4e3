"""Posting the admin's meeting change form as a browser would, with a few fields changed."""

from tests.roundtrip import admin_resubmit


def admin_change_meeting(client, meeting, **changes):
    """The change form as shown, ``changes`` applied, posted back. Returns the response."""
    return admin_resubmit(client, meeting, **changes)
