"""Who this browser is at a meeting, without an account: the person whose private link it
opened.

Opening any page of a private link (``/r/<token>/…``) remembers the registration in
the Django session, per meeting, by its token's hash; pages whose address carries no
token (the B2B participants' directory) ask ``participant_for_request``. Resetting
the private link changes the hash, so every browser that remembered the old link
forgets the person; "forget me on this device" (``participant_forget``) drops it
at once. The session holds a hash, never the token, and nothing an organizer's
login depends on.
"""

from django.http import HttpRequest

from events.models import Meeting
from registrations.models import Registration

SESSION_KEY = "registrations.participants"


def _remembered(request: HttpRequest) -> dict[str, str]:
    remembered = request.session.get(SESSION_KEY)
    return remembered if isinstance(remembered, dict) else {}


def participant_remember(request: HttpRequest, registration: Registration) -> None:
    """This browser is ``registration``'s person at its meeting (from now on)."""
    remembered = _remembered(request)
    key = str(registration.meeting_id)
    if remembered.get(key) == registration.token_hash:
        return
    # A new identity gets a new session key, as a login does: a session id planted in
    # the browser beforehand cannot be used to act as the person.
    request.session.cycle_key()
    request.session[SESSION_KEY] = {**remembered, key: registration.token_hash}


def participant_forget(request: HttpRequest, meeting: Meeting) -> bool:
    """This browser no longer acts as anyone at ``meeting``; False when it did not."""
    remembered = _remembered(request)
    if str(meeting.pk) not in remembered:
        return False
    remembered = {key: value for key, value in remembered.items() if key != str(meeting.pk)}
    request.session[SESSION_KEY] = remembered
    return True


def participant_for_request(request: HttpRequest, meeting: Meeting) -> Registration | None:
    """The registration this browser remembered at ``meeting`` (any status), or None: never
    remembered, forgotten, or its private link was reset since."""
    digest = _remembered(request).get(str(meeting.pk))
    if not isinstance(digest, str) or not digest:
        return None
    return (
        Registration.objects.select_related("meeting", "organization")
        .filter(meeting=meeting, token_hash=digest)
        .first()
    )
