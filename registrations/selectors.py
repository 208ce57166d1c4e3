"""Reads about registrations shared by pages, the API and exporters."""

import hmac

from django.http import Http404

from registrations.models import Registration


def registration_get_by_token(*, token: str) -> Registration:
    """The registration behind a private link; Http404 for anything else.

    The lookup goes through the unique index; the final comparison is in
    constant time so the answer's timing says nothing about the token.
    """
    registration = (
        Registration.objects.select_related("meeting", "meeting__venue", "organization")
        .filter(token=token)
        .first()
    )
    if registration is None or not hmac.compare_digest(registration.token, token):
        raise Http404("No such registration.")
    return registration
