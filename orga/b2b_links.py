"""Where the B2B pages of the organizers send them back to."""

from django.urls import reverse


def board_url(meeting, b2b_session_id: int | None = None, anchor: str = "") -> str:
    url = reverse("orga:b2b-board", kwargs={"slug": meeting.slug})
    if b2b_session_id:
        url = f"{url}?session={b2b_session_id}"
    return f"{url}#{anchor}" if anchor else url
