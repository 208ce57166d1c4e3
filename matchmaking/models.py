"""B2B one-to-one meetings, in the terms b2match users know.

A meeting turns matchmaking on (``Matchmaking``). Its matchmaking sessions are
agenda sessions of kind B2B (``B2BSession``), cut into ``Slot``s of the meeting
length, with numbered ``Table``s. A registered person fills a ``Profile`` (with
``MarketplaceEntry``s: offers, requests, cooperation ideas) and asks others for
a ``MeetingRequest``: requested → accepted → scheduled (a slot and a table), or
declined / cancelled.

When the organizers schedule, a ``SchedulingRun`` places the accepted requests
(the automatic scheduler, a worker task the organizers follow), a
``ScheduleRelease`` records each preliminary or final schedule sent out, and
after the meeting each person records a ``MeetingOutcome`` per meeting.

One person is in at most one place per slot and a table holds one meeting per
slot: the services check it under row locks (``matchmaking/services/locking.py``)
and the database refuses the rest (``SlotSeat``'s and ``MeetingRequest``'s
unique constraints), so even a write that skipped the locks cannot double-book.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _

from agenda.models import Session
from events.models import Meeting, Organization, Room
from events.regions import REGION_MAX_LENGTH, Region
from events.text import long_text_validators, validate_one_line
from registrations.models import Registration

PITCH_MAX_LENGTH = 600
MESSAGE_MAX_LENGTH = 1000
ENTRY_MAX_LENGTH = 2000


class Language(models.TextChoices):
    """Languages a participant can hold a meeting in (ISO 639-1); names are not translated
    in the list people pick from, so each finds their own."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Español"
    FRENCH = "fr", "Français"
    GERMAN = "de", "Deutsch"
    ITALIAN = "it", "Italiano"
    PORTUGUESE = "pt", "Português"
    CATALAN = "ca", "Català"
    BASQUE = "eu", "Euskara"
    GALICIAN = "gl", "Galego"
    DUTCH = "nl", "Nederlands"
    POLISH = "pl", "Polski"


class Matchmaking(models.Model):
    """A meeting's B2B settings; the meeting has matchmaking when this row is enabled."""

    class RequestMode(models.TextChoices):
        ACCEPT = "accept", _("The other side accepts or declines each request")
        AUTOMATIC = "automatic", _("Requests are accepted automatically")

    class SchedulingMode(models.TextChoices):
        PARTICIPANTS = "participants", _("Participants pick a slot when they accept")
        ORGANIZERS = "organizers", _("The organizers schedule accepted requests")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="matchmaking")
    enabled = models.BooleanField(_("B2B meetings on"), default=False)
    request_mode = models.CharField(
        _("requests"), max_length=20, choices=RequestMode.choices, default=RequestMode.ACCEPT
    )
    scheduling_mode = models.CharField(
        _("scheduling"),
        max_length=20,
        choices=SchedulingMode.choices,
        default=SchedulingMode.PARTICIPANTS,
    )
    profiles_need_validation = models.BooleanField(
        _("profiles need the organizers' validation"),
        default=False,
        help_text=_("A listed profile is shown to others only once an organizer validated it."),
    )
    opens_at = models.DateTimeField(_("requests open"), null=True, blank=True)
    closes_at = models.DateTimeField(_("requests close"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matchmaking")
        verbose_name_plural = _("matchmaking")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="matchmaking_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"B2B — {self.meeting}"


class Sector(models.Model):
    """A sector or area of activity: the controlled list a meeting's organizers edit."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="b2b_sectors")
    name = models.CharField(_("name"), max_length=100, validators=[validate_one_line])
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "position", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="sector_unique_per_meeting"),
        ]

    def __str__(self) -> str:
        return self.name


class B2BSession(models.Model):
    """An agenda session of kind B2B, cut into slots of ``slot_minutes``."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="b2b")
    # The session's meeting, kept here so every query scopes by meeting in one join.
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="b2b_sessions")
    slot_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=20)
    max_meetings_per_person = models.PositiveSmallIntegerField(
        _("most meetings per person"),
        null=True,
        blank=True,
        help_text=_("In this session. Empty means as many as there are slots."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "session__starts_at", "pk"]
        verbose_name = _("matchmaking session")
        verbose_name_plural = _("matchmaking sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5) & Q(slot_minutes__lte=240),
                name="b2b_session_slot_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(max_meetings_per_person__isnull=True)
                | Q(max_meetings_per_person__gte=1),
                name="b2b_session_max_meetings_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.session.title

    @property
    def slot_length(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.slot_minutes)


class Slot(models.Model):
    """One time slot of a matchmaking session (its rows follow the session's times)."""

    b2b_session = models.ForeignKey(B2BSession, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["b2b_session", "position"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(
                fields=["b2b_session", "position"], name="slot_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_times_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.b2b_session} #{self.position + 1}"


class Table(models.Model):
    """A numbered (or named) table of a matchmaking session, optionally in a room."""

    b2b_session = models.ForeignKey(B2BSession, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("name"), max_length=40, validators=[validate_one_line])
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="b2b_tables"
    )

    class Meta:
        ordering = ["b2b_session", "position", "pk"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(
                fields=["b2b_session", "name"], name="table_unique_name_per_session"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What a registered person shows to the other participants (when listed)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="b2b_profile"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="b2b_profiles")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="b2b_profiles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=200, blank=True, validators=[validate_one_line])
    pitch = models.TextField(
        _("short pitch"),
        blank=True,
        max_length=PITCH_MAX_LENGTH,
        validators=long_text_validators(),
        help_text=_("What you do and whom you would like to meet, in a few lines."),
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="profiles", verbose_name=_("sectors")
    )
    region = models.CharField(
        _("region"), max_length=REGION_MAX_LENGTH, choices=Region.choices, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    listed = models.BooleanField(
        _("show my profile to the other participants"),
        default=False,
        help_text=_("Never your email address. Without it nobody can ask you for a meeting."),
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    # Slots the person cannot meet in (they are elsewhere): never offered nor scheduled.
    unavailable_slots = models.ManyToManyField(
        Slot, blank=True, related_name="unavailable_profiles", verbose_name=_("not available")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "registration__last_name", "registration__first_name", "pk"]
        verbose_name = _("B2B profile")
        verbose_name_plural = _("B2B profiles")
        indexes = [models.Index(fields=["meeting", "listed"], name="profile_meeting_listed")]

    def __str__(self) -> str:
        return self.registration.full_name

    @property
    def organization_label(self) -> str:
        """The organisation's name: the linked one, else what the person typed."""
        if self.organization_id:
            return self.organization.name
        return self.registration.organization_name


class MarketplaceEntry(models.Model):
    """An offer, a request or a cooperation idea on a profile."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")
        COOPERATION = "cooperation", _("Cooperation idea")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=ENTRY_MAX_LENGTH,
        validators=long_text_validators(),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["profile", "created_at", "pk"]
        verbose_name = _("marketplace entry")
        verbose_name_plural = _("marketplace entries")

    def __str__(self) -> str:
        return self.title


class MeetingRequest(models.Model):
    """A request for a 1:1 meeting, and the meeting itself once it is scheduled."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        SCHEDULED = "scheduled", _("Scheduled")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.REQUESTED, Status.ACCEPTED, Status.SCHEDULED)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="b2b_requests")
    requester = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="b2b_requests_sent"
    )
    recipient = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="b2b_requests_received"
    )
    message = models.TextField(
        _("message"), blank=True, max_length=MESSAGE_MAX_LENGTH, validators=long_text_validators()
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    # The matchmaking session the requester would rather meet in (or none).
    preferred_session = models.ForeignKey(
        B2BSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A scheduled meeting's place; a cancelled one keeps the place it had (for its
    # CANCEL and its history). Deleting a slot or table under a scheduled meeting
    # breaks the check below: the services refuse that first.
    slot = models.ForeignKey(
        Slot, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    table = models.ForeignKey(
        Table, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    # Kept in place by the organizers (the scheduler of the next step leaves it alone).
    locked = models.BooleanField(_("locked"), default=False)
    decline_reason = models.CharField(
        _("reason"), max_length=300, blank=True, validators=[validate_one_line]
    )
    cancelled_by = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Raised on every change a calendar client must take as an update (RFC 5545):
    # scheduled, moved, cancelled. The UID never changes (``matchmaking.ical``).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    responded_at = models.DateTimeField(null=True, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        indexes = [
            models.Index(fields=["meeting", "status"], name="b2b_request_meeting_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("recipient")), name="b2b_request_two_people"
            ),
            models.CheckConstraint(
                condition=Q(status="scheduled", slot__isnull=False, table__isnull=False)
                | Q(status="cancelled")
                | Q(
                    status__in=["requested", "accepted", "declined"],
                    slot__isnull=True,
                    table__isnull=True,
                ),
                name="b2b_request_scheduled_has_slot_and_table",
            ),
            # A table holds one meeting per slot.
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(status="scheduled"),
                name="b2b_request_one_meeting_per_table_and_slot",
            ),
            # Two people have at most one open request between them, whoever asked.
            models.UniqueConstraint(
                Least("requester", "recipient"),
                Greatest("requester", "recipient"),
                condition=Q(status__in=["requested", "accepted", "scheduled"]),
                name="b2b_request_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester.full_name} → {self.recipient.full_name} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def other(self, registration: Registration) -> Registration:
        """The other person of the meeting, seen from ``registration``."""
        return self.recipient if registration.pk == self.requester_id else self.requester


class SlotSeat(models.Model):
    """A person's place in a slot, one per person of a scheduled meeting: the database's
    own guard that nobody is in two meetings at once."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="seats")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="b2b_seats"
    )
    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="seats")

    class Meta:
        verbose_name = _("slot seat")
        verbose_name_plural = _("slot seats")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "registration"], name="b2b_one_meeting_per_person_and_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} in {self.slot}"


class SchedulingRun(models.Model):
    """One run of the automatic scheduler over a meeting's accepted requests, as the
    organizers follow it (queued → running → done or failed) and read its result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Solver(models.TextChoices):
        CP_SAT = "cp-sat", _("Optimising solver (CP-SAT)")
        GREEDY = "greedy", _("First free slot (fallback)")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="b2b_scheduling_runs"
    )
    # One matchmaking session, or every session of the meeting (None).
    b2b_session = models.ForeignKey(
        B2BSession, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    time_limit_seconds = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=20)
    solver = models.CharField(_("solver"), max_length=20, choices=Solver.choices, blank=True)
    # What the solver said of its answer (OPTIMAL, FEASIBLE, …), for the organizers' trust.
    solver_status = models.CharField(max_length=40, blank=True)
    # Accepted requests that wanted a place (placed before the run or not).
    requests_accepted = models.PositiveIntegerField(null=True, blank=True)
    # Meetings scheduled once the run wrote its result (kept ones included) …
    requests_scheduled = models.PositiveIntegerField(null=True, blank=True)
    # … of which this run placed:
    requests_placed = models.PositiveIntegerField(null=True, blank=True)
    # What the first-free-slot pass would have scheduled, and the most any schedule can.
    greedy_scheduled = models.PositiveIntegerField(null=True, blank=True)
    bound = models.PositiveIntegerField(null=True, blank=True)
    # Placements found but not written: something changed meanwhile (a request cancelled,
    # a slot taken by a participant); those requests stay accepted, nothing is lost.
    requests_skipped = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "-created_at", "-pk"]
        verbose_name = _("scheduling run")
        verbose_name_plural = _("scheduling runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="scheduling_run_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.get_status_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ScheduleRelease(models.Model):
    """A preliminary or final schedule sent to the participants (one email each)."""

    class Kind(models.TextChoices):
        PRELIMINARY = "preliminary", _("Preliminary schedule")
        FINAL = "final", _("Final schedule")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="b2b_releases")
    kind = models.CharField(_("schedule"), max_length=20, choices=Kind.choices)
    recipients = models.PositiveIntegerField(_("emails"), default=0)
    meetings = models.PositiveIntegerField(_("meetings"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "-created_at", "-pk"]
        verbose_name = _("schedule sent")
        verbose_name_plural = _("schedules sent")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.created_at:%Y-%m-%d %H:%M}"


class MeetingOutcome(models.Model):
    """What one of the two people says came of a 1:1 meeting: held or not, and its fruit."""

    class Result(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Follow-up planned")
        PROJECT_IDEA = "project_idea", _("Joint project idea")
        PARTNERSHIP = "partnership", _("Partnership")
        NOTHING = "nothing", _("Nothing came of it")

    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="outcomes")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="b2b_outcomes"
    )
    held = models.BooleanField(_("the meeting took place"))
    result = models.CharField(_("outcome"), max_length=20, choices=Result.choices, blank=True)
    note = models.TextField(
        _("note"), blank=True, max_length=MESSAGE_MAX_LENGTH, validators=long_text_validators()
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["request", "registration"]
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "registration"], name="b2b_outcome_one_per_person"
            ),
            # A meeting that did not take place has no outcome.
            models.CheckConstraint(
                condition=Q(held=True) | Q(result=""), name="b2b_outcome_only_when_held"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} by {self.registration_id}: {self.result or self.held}"
