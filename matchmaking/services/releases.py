"""Send the preliminary or the final schedule: one email per participant concerned.

The automatic scheduler writes no email per meeting (hundreds per run): this is
how people learn where it placed them. The email, built when it is sent
(``matchmaking/schedule_emails.py``), lists the person's meetings and booked
sessions, carries one invitation per meeting (REQUEST, or CANCEL for one
cancelled since the previous schedule) and their schedule as a PDF. Later moves
and cancellations by the organizers email each person themselves
(``services/requests.py``), with a higher SEQUENCE.

The organizers confirm a schedule they were shown: the confirmation names the
last schedule sent when they looked (``after``) and the counts they saw. The
meeting's matchmaking row is locked while the emails are written, so two
confirmations of the same page (a double click, a second organizer) send once:
the second finds a newer schedule than it names and writes nothing.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.locking import busy_as, lock_timeout, retry_when_busy
from events.models import Meeting
from mail.models import OutboxMessage
from mail.services import outbox_messages_create_many
from matchmaking.models import Matchmaking, ScheduleRelease
from matchmaking.schedules import last_release, release_audience
from matchmaking.services.errors import MatchmakingBusy, MatchmakingError

Kind = ScheduleRelease.Kind


class ReleaseAlreadySent(MatchmakingError):
    """This confirmation was sent already (``release``): nothing more was written."""

    def __init__(self, release: ScheduleRelease):
        super().__init__(_("This schedule had already been sent; it was not sent again."))
        self.release = release


def dedupe_key(release: ScheduleRelease, registration_id: int) -> str:
    return f"b2b-schedule:{release.pk}:{registration_id}"


def _refusal(meeting: Meeting) -> str | None:
    if meeting.status == Meeting.Status.CANCELLED:
        return _("This meeting is cancelled.")
    if meeting.is_past():
        return _("This meeting is over.")
    return None


@retry_when_busy()
def schedule_release(
    *,
    meeting: Meeting,
    kind: str,
    sent_by=None,
    after: int | None = None,
    expected_recipients: int | None = None,
    expected_meetings: int | None = None,
) -> ScheduleRelease:
    """Record a preliminary or final schedule and write its emails, in one transaction.

    ``after``: the id of the last schedule sent when the organizer looked (0: none);
    when a newer one exists, this confirmation was sent already (``ReleaseAlreadySent``
    for the same kind) or another schedule went out meanwhile (refused). With the
    ``expected_*`` counts the organizer saw, a schedule that changed since is refused.
    """
    if kind not in Kind.values:
        raise MatchmakingError(_("Choose the preliminary or the final schedule."), field="kind")
    refusal = _refusal(meeting)
    if refusal:
        raise MatchmakingError(refusal)
    with busy_as(MatchmakingBusy), transaction.atomic(durable=True):
        lock_timeout()
        matchmaking = (
            Matchmaking.objects.select_for_update().filter(meeting=meeting, enabled=True).first()
        )
        if matchmaking is None:
            raise MatchmakingError(_("This meeting has no B2B meetings."))
        latest = last_release(meeting=meeting)
        if after is not None and (latest.pk if latest else 0) != after:
            if latest is not None and latest.kind == kind and latest.pk > after:
                raise ReleaseAlreadySent(latest)
            raise MatchmakingError(
                _("Another schedule was sent meanwhile: look at the page again; nothing was sent.")
            )
        audience = release_audience(meeting=meeting)
        if audience.meetings == 0 or not audience.registrations:
            raise MatchmakingError(_("No meeting is scheduled yet: there is nothing to send."))
        if (
            expected_recipients is not None and expected_recipients != len(audience.registrations)
        ) or (expected_meetings is not None and expected_meetings != audience.meetings):
            raise MatchmakingError(
                ngettext(
                    "The schedule has changed since you looked: it now goes to %(count)d "
                    "person with %(meetings)d meetings. Look again; nothing was sent.",
                    "The schedule has changed since you looked: it now goes to %(count)d "
                    "people with %(meetings)d meetings. Look again; nothing was sent.",
                    len(audience.registrations),
                )
                % {"count": len(audience.registrations), "meetings": audience.meetings}
            )
        release = ScheduleRelease.objects.create(
            meeting=meeting,
            kind=kind,
            recipients=len(audience.registrations),
            meetings=audience.meetings,
            sent_by=sent_by if sent_by is not None and sent_by.is_authenticated else None,
        )
        final = kind == Kind.FINAL
        outbox_messages_create_many(
            [
                OutboxMessage(
                    kind=OutboxMessage.Kind.B2B_SCHEDULE,
                    recipient=registration.email,
                    meeting=meeting,
                    registration=registration,
                    payload={"release": release.pk, "final": final},
                    dedupe_key=dedupe_key(release, registration.pk),
                )
                for registration in audience.registrations
            ]
        )
    return release
