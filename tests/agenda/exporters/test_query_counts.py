"""Every feed runs the same number of SQL queries for 1 session and for 50."""

import datetime as dt

import pytest

from agenda.models import Session, SessionSpeaker
from tests.factories import (
    OrganizationFactory,
    RegistrationFactory,
    RoomFactory,
    SessionBookingFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def build(meeting):
    """Make ``count`` sessions, each with its own room, track and two speakers, all booked."""

    def make(count: int):
        registration = RegistrationFactory(meeting=meeting)
        organization = OrganizationFactory()
        for index in range(count):
            room = RoomFactory(venue=meeting.venue)
            track = TrackFactory(meeting=meeting)
            starts = at(meeting, index % 2, "09:00") + dt.timedelta(minutes=10 * index)
            session = SessionFactory(
                meeting=meeting,
                room=room,
                track=track,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=45),
            )
            for position in range(2):
                speaker = SpeakerFactory(meeting=meeting, organization=organization)
                SessionSpeaker.objects.create(session=session, speaker=speaker, position=position)
            SessionBookingFactory(registration=registration, session=session)
        return registration

    return make


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # meeting, fingerprint, sessions, speakers
        ("/meetings/meet/agenda.ics", 4),
        # + the tracks list
        ("/meetings/meet/schedule.json", 5),
        ("/meetings/meet/schedule.xml", 5),
        # registration, bookings fingerprint, sessions fingerprint, 1:1 meetings' fingerprint,
        # sessions, speakers, 1:1 meetings (matchmaking's personal source)
        ("/calendar/{feed_token}.ics", 7),
    ],
)
def test_feed_query_count_does_not_grow(
    client, build, django_assert_num_queries, count, path, queries
):
    """The whole agenda, schedule.json/xml and the personal feed: constant queries."""
    registration = build(count)
    url = path.format(feed_token=registration.feed_token)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    marker = {"ics": b"BEGIN:VEVENT", "json": b'"type": "talk"', "xml": b"<event "}
    assert response.content.count(marker[url.rsplit(".", 1)[1]]) == count


@pytest.mark.parametrize("count", [1, 50])
def test_agenda_filters_add_one_query_each(client, build, django_assert_num_queries, count):
    """Track and room filters cost one query each (6 in all), whatever the agenda's size."""
    build(count)
    session = Session.objects.select_related("track").order_by("pk").first()

    with django_assert_num_queries(6):
        response = client.get(
            f"/meetings/meet/agenda.ics?track={session.track.slug}&room={session.room_id}"
        )

    assert response.status_code == 200


@pytest.mark.parametrize("speakers", [1, 20])
def test_session_file_query_count_does_not_grow_with_speakers(
    client, meeting, django_assert_num_queries, speakers
):
    """One session's file: meeting, fingerprint, session, speakers — however many speakers."""
    session = SessionFactory(meeting=meeting)
    for position in range(speakers):
        SessionSpeaker.objects.create(
            session=session,
            speaker=SpeakerFactory(meeting=meeting, organization=OrganizationFactory()),
            position=position,
        )

    with django_assert_num_queries(4):
        response = client.get(f"/meetings/meet/sessions/{session.pk}.ics")

    assert response.status_code == 200
    assert response.content.count(b"BEGIN:VEVENT") == 1
