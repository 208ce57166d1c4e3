"""Pure iCalendar builders for 1:1 meetings: the one VEVENT of a meeting and its invitation.

Like ``agenda/ical.py``, whose calendar frame (``calendar_build``, the VTIMEZONE,
``calendar_mime``) they reuse, nothing here queries the database: callers pass
requests read by ``matchmaking.selectors.requests_with_details`` (people,
profiles, organisations, slot, session, table, rooms and venues loaded).

A meeting is always seen by one of its two people (``viewer``): the summary
names the *other* person. The same meeting therefore reads differently in the
two people's calendars but is the same event: one UID (``b2b_uid``), the same
instants, the same SEQUENCE. No participant's email address is ever written,
except the viewer's own in their own invitation.

Text goes in through ``events.text.one_line`` / ``multi_line`` here and only
here, so names, organisations or table names that hold line breaks, controls
or direction marks (rows written before the text rules) never break a content
line.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext, pgettext
from icalendar import Calendar, Event, vCalAddress, vText

from agenda.ical import Method, calendar_build, meeting_page_url
from agenda.models import Session
from events.models import Meeting
from events.text import multi_line, one_line
from matchmaking.models import MeetingRequest, Profile, Table
from registrations.models import Registration

Status = MeetingRequest.Status
CATEGORY = "B2B"


def b2b_uid(request: MeetingRequest) -> str:
    """Stable for the meeting's whole life (moves and cancellation included): clients match
    every update and the CANCEL by it. Distinct from every agenda session's UID."""
    return f"b2b-{request.pk}@{settings.SITE_DOMAIN}"


def profile_of(registration: Registration) -> Profile | None:
    """The person's B2B profile (loaded with the registration), or None."""
    try:
        return registration.b2b_profile
    except ObjectDoesNotExist:
        return None


def organisation_of(registration: Registration) -> str:
    """The organisation a person meets for: their profile's, else what they registered with."""
    profile = profile_of(registration)
    label = profile.organization_label if profile else registration.organization_display
    return one_line(label)


def person_label(registration: Registration) -> str:
    """'Ana Pérez (Cluster X)': name and organisation, never an email address."""
    name = one_line(registration.full_name)
    organisation = organisation_of(registration)
    return f"{name} ({organisation})" if organisation else name


def is_cancelled(request: MeetingRequest) -> bool:
    """Cancelled itself, or its session or the whole meeting cancelled."""
    session = request.slot.b2b_session.session
    return (
        request.status == Status.CANCELLED
        or session.status == Session.Status.CANCELLED
        or request.meeting.status == Meeting.Status.CANCELLED
    )


def b2b_location(request: MeetingRequest) -> str:
    """'Table 3, Sala Taconera, Baluarte, Pamplona': the table, the table's room (else the
    matchmaking session's room), and that room's venue (else the meeting's)."""
    session = request.slot.b2b_session.session
    table = request.table
    room = table.room if table is not None and table.room_id else None
    if room is None and session.room_id:
        room = session.room
    venue = room.venue if room is not None else request.meeting.venue
    parts = [table_label(table) if table is not None else "", room.name if room is not None else ""]
    if venue is not None:
        parts.append(venue.full_address)
    return ", ".join(part for part in (one_line(part) for part in parts) if part)


def table_label(table: Table) -> str:
    """'Table 3' for a numbered table, the name itself for a named one ('Sala Amaya 1')."""
    name = one_line(table.name)
    return gettext("Table %(number)s") % {"number": name} if name.isdigit() else name


def b2b_last_modified(request: MeetingRequest) -> dt.datetime:
    """When anything the VEVENT shows last changed: stable while nothing changes, so
    polling clients do not churn."""
    session = request.slot.b2b_session.session
    stamps = [request.updated_at, request.meeting.updated_at, session.updated_at]
    for room in (session.room, request.table.room if request.table else None):
        if room is not None:
            stamps += [room.updated_at, room.venue.updated_at]
    if request.meeting.venue_id:
        stamps.append(request.meeting.venue.updated_at)
    for person in (request.requester, request.recipient):
        stamps.append(person.updated_at)
        profile = profile_of(person)
        if profile is not None:
            stamps.append(profile.updated_at)
            if profile.organization_id:
                stamps.append(profile.organization.updated_at)
    # Calendars carry whole seconds; keep the value equal to what clients read back.
    return max(stamps).replace(microsecond=0)


def b2b_summary(request: MeetingRequest, *, viewer: Registration) -> str:
    summary = gettext("1:1 meeting: %(person)s") % {"person": person_label(request.other(viewer))}
    # Some clients ignore STATUS:CANCELLED, so the title says it too (as for sessions).
    if is_cancelled(request):
        return pgettext("1:1 meeting", "Cancelled: %(title)s") % {"title": summary}
    return summary


def b2b_session_url(request: MeetingRequest) -> str:
    """The matchmaking session's public page (never a private link: feeds are handed to
    calendar services)."""
    session = request.slot.b2b_session.session
    return f"{meeting_page_url(request.meeting)}sessions/{session.pk}/"


def b2b_description(request: MeetingRequest) -> str:
    session = request.slot.b2b_session.session
    parts = []
    if is_cancelled(request):
        parts.append(gettext("This 1:1 meeting has been cancelled."))
    parts.append(
        gettext("1:1 meeting between %(first)s and %(second)s.")
        % {"first": person_label(request.requester), "second": person_label(request.recipient)}
    )
    if request.table is not None:
        parts.append(
            gettext("%(table)s, in the matchmaking session “%(session)s”.")
            % {"table": table_label(request.table), "session": one_line(session.title)}
        )
    parts.append(b2b_session_url(request))
    return "\n\n".join(parts)


def b2b_vevent(request: MeetingRequest, *, viewer: Registration) -> Event:
    """The one VEVENT of a 1:1 meeting that has (or had) a slot, as ``viewer`` sees it."""
    if request.slot is None:
        raise ValueError("Only a meeting with a slot is in a calendar.")
    if viewer.pk not in (request.requester_id, request.recipient_id):
        raise ValueError("A meeting is seen by one of its two people.")
    meeting = request.meeting
    last_modified = b2b_last_modified(request)
    cancelled = is_cancelled(request)
    event = Event()
    event.add("uid", b2b_uid(request))
    event.add("dtstamp", last_modified.astimezone(dt.UTC))
    event.add("dtstart", request.slot.starts_at.astimezone(meeting.tzinfo))
    event.add("dtend", request.slot.ends_at.astimezone(meeting.tzinfo))
    event.add("sequence", request.sequence)
    event.add("last-modified", last_modified.astimezone(dt.UTC))
    event.add("summary", one_line(b2b_summary(request, viewer=viewer)))
    event.add("description", multi_line(b2b_description(request)))
    if location := b2b_location(request):
        event.add("location", location)
    event.add("url", b2b_session_url(request))
    event.add("categories", [CATEGORY])
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def attendee_uri(registration: Registration) -> str:
    """The other person's calendar address in an invitation: a ``urn:uuid`` that never
    reveals their email address.

    RFC 5545 makes an ATTENDEE any URI; clients show its CN. A ``mailto:`` would
    hand one participant the other's address (and let a client email them, or
    reply to them, from the invitation), which the directory never does. A
    made-up ``mailto:`` on a fake domain would invite bounces. The UUID is
    derived (uuid5) from the site and the registration's id, so it is the same
    in every REQUEST and CANCEL of every meeting of that person, which lets a
    client keep one attendee across updates; the id it hides is not a secret,
    and nothing can be reached through it.
    """
    name = f"{settings.SITE_URL}/b2b/people/{registration.pk}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _attendee(uri: str, name: str) -> vCalAddress:
    attendee = vCalAddress(uri)
    attendee.params["CN"] = vText(one_line(name))
    attendee.params["CUTYPE"] = vText("INDIVIDUAL")
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    # Both agreed to the meeting already: no reply is expected.
    attendee.params["PARTSTAT"] = vText("ACCEPTED")
    attendee.params["RSVP"] = vText("FALSE")
    return attendee


def b2b_method(request: MeetingRequest) -> str:
    """REQUEST while the meeting stands, CANCEL once it (or its session, or the meeting)
    is cancelled: an invitation always says the current state."""
    return Method.CANCEL if is_cancelled(request) else Method.REQUEST


def b2b_invitation(
    request: MeetingRequest, *, viewer: Registration, organizer_email: str
) -> Calendar:
    """The iTIP invitation (RFC 5546) for one of the two people: METHOD:REQUEST for a
    scheduled meeting, METHOD:CANCEL for a cancelled one, with the meeting's UID and
    SEQUENCE (which the services raise on every move and cancellation, so clients apply
    each email in order). ORGANIZER is the event's contact (or the site's sender)
    address; the ATTENDEEs name both people, the viewer by their own address and the
    other by ``attendee_uri``."""
    meeting = request.meeting
    method = b2b_method(request)
    event = b2b_vevent(request, viewer=viewer)
    organizer = vCalAddress(f"mailto:{one_line(organizer_email)}")
    organizer.params["CN"] = vText(one_line(meeting.title))
    event.add("organizer", organizer)
    other = request.other(viewer)
    event.add("attendee", _attendee(f"mailto:{one_line(viewer.email)}", viewer.full_name))
    event.add("attendee", _attendee(attendee_uri(other), other.full_name))
    return calendar_build(meeting=meeting, name=meeting.title, method=method, events=[event])
