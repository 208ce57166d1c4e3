"""Reads for the exporters: what a feed contains and a cheap fingerprint of it.

The fingerprint (:func:`sessions_version`) is one aggregate query, so a
conditional request is answered with 304 without loading a single session.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from agenda.models import Session, Track
from events.models import Meeting, Room

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Version:
    """What changes whenever anything an export shows changes."""

    last_modified: dt.datetime
    token: str
    sessions: int = 0


def meeting_get_public(*, slug: str) -> Meeting:
    """A published or cancelled meeting; drafts and unknown slugs are 404 for everybody."""
    try:
        return Meeting.objects.public().select_related("venue").get(slug=slug)
    except Meeting.DoesNotExist as exc:
        raise Http404("No such meeting.") from exc


def sessions_exported(meeting: Meeting) -> QuerySet[Session]:
    """Sessions a public export may show: confirmed and cancelled ones with a time."""
    return Session.objects.listed().filter(meeting=meeting, starts_at__isnull=False)


def sessions_version(sessions: QuerySet[Session], *, extra: tuple = ()) -> Version:
    """Fingerprint of sessions and everything shown with them, in one aggregate query.

    Counts catch deletions (a removed speaker, a deleted track set to NULL) that
    leave no newer ``updated_at`` behind.
    """
    row = sessions.order_by().aggregate(
        sessions=Max("updated_at"),
        rooms=Max("room__updated_at"),
        venues=Max("room__venue__updated_at"),
        tracks=Max("track__updated_at"),
        links=Max("speaker_links__updated_at"),
        speakers=Max("speaker_links__speaker__updated_at"),
        organizations=Max("speaker_links__speaker__organization__updated_at"),
        session_count=Count("pk", distinct=True),
        track_count=Count("track", distinct=True),
        link_count=Count("speaker_links", distinct=True),
        organization_count=Count("speaker_links__speaker__organization", distinct=True),
    )
    stamps = [value for value in row.values() if isinstance(value, dt.datetime)]
    stamps += [value for value in extra if isinstance(value, dt.datetime)]
    parts = [
        value.isoformat() if isinstance(value, dt.datetime) else str(value)
        for value in [*row.values(), *extra]
    ]
    return Version(
        last_modified=max(stamps, default=EPOCH),
        token="|".join(parts),
        sessions=row["session_count"],
    )


def meeting_version(meeting: Meeting) -> Version:
    """Every session of the meeting, drafts included: a session leaving a feed changes it too."""
    venue_stamp = meeting.venue.updated_at if meeting.venue_id else None
    return sessions_version(
        Session.objects.filter(meeting=meeting), extra=(meeting.updated_at, venue_stamp)
    )


def tracks_by_slug(*, meeting: Meeting, slugs: list[str]) -> dict[str, Track]:
    return {track.slug: track for track in Track.objects.filter(meeting=meeting, slug__in=slugs)}


def rooms_by_id(*, meeting: Meeting, ids: list[int]) -> dict[int, Room]:
    """Rooms of the meeting's venue or used by one of its sessions."""
    rooms = (
        Room.objects.filter(pk__in=ids)
        .filter(Q(venue_id=meeting.venue_id) | Q(sessions__meeting=meeting))
        .distinct()
    )
    return {room.pk: room for room in rooms}
