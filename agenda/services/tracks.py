"""Tracks: create and change them (a name and a slug, each unique per meeting)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from agenda.models import Track
from agenda.services.locks import lock_meeting
from agenda.services.rules import apply_named
from events.models import Meeting

TRACK_FIELDS = {"slug", "name", "colour", "position"}


@transaction.atomic
def track_create(*, meeting: Meeting, name: str, slug: str, **data: Any) -> Track:
    meeting = lock_meeting(meeting)
    return _track_save(Track(meeting=meeting), {"name": name, "slug": slug, **data})


@transaction.atomic
def track_update(*, track: Track, data: dict[str, Any]) -> Track:
    lock_meeting(track.meeting)
    return _track_save(track, data)


def _track_save(track: Track, data: dict[str, Any]) -> Track:
    apply_named(
        track,
        data,
        fields=TRACK_FIELDS,
        text_fields=("name",),
        unique=("slug", "name"),
        incomplete=_("A track needs a name and a slug."),
    )
    track.save()
    return track
