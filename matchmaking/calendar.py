"""A person's 1:1 meetings in their personal calendar feed (``/calendar/<feed token>.ics``).

registrations serves the feed and takes extra events from the apps above it
(``registrations.calendar.personal_source_register``); this module, imported by
``MatchmakingConfig.ready()``, adds the person's scheduled meetings and the
cancelled ones that had a slot (as STATUS:CANCELLED, so subscribed clients
remove them), each with its own stable UID (``matchmaking.ical.b2b_uid``).

Both reads are one query whatever the number of meetings: the events from
``selectors.scheduled_meetings`` (everything shown loaded by its
``select_related``), the fingerprint from one aggregate.
"""

from django.db.models import Count, Max, Q

from matchmaking.ical import b2b_vevent
from matchmaking.models import MeetingRequest
from matchmaking.selectors import scheduled_meetings
from registrations.calendar import PersonalSource, personal_source_register
from registrations.models import Registration


def meeting_events(registration: Registration) -> list:
    return [
        b2b_vevent(request, viewer=registration)
        for request in scheduled_meetings(registration=registration)
    ]


def meetings_version(registration: Registration) -> tuple:
    """Newest change and count of the person's requests and of what their events show
    (the session, the rooms, both people and their profiles), in one aggregate query.

    Every scheduling, move and cancellation saves the request (``updated_at``); the
    count catches a deleted one; the session's stamp catches slots re-timed by an
    agenda change that told nobody (a draft meeting).
    """
    row = (
        MeetingRequest.objects.filter(
            Q(requester=registration) | Q(recipient=registration),
            meeting_id=registration.meeting_id,
        )
        .order_by()
        .aggregate(
            changed=Max("updated_at"),
            count=Count("pk", distinct=True),
            agenda_session=Max("slot__b2b_session__session__updated_at"),
            agenda_room=Max("slot__b2b_session__session__room__updated_at"),
            table_room=Max("table__room__updated_at"),
            # Aliases other than the fields' names, which they would shadow in the paths.
            asker=Max("requester__updated_at"),
            asked=Max("recipient__updated_at"),
            asker_profile=Max("requester__b2b_profile__updated_at"),
            asked_profile=Max("recipient__b2b_profile__updated_at"),
            asker_organization=Max("requester__b2b_profile__organization__updated_at"),
            asked_organization=Max("recipient__b2b_profile__organization__updated_at"),
        )
    )
    return tuple(row.values())


personal_source_register(PersonalSource(events=meeting_events, version=meetings_version))
