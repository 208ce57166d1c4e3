"""The outbox: one row per email, written in the transaction of the change that causes it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One email to send. Written in the transaction of the change that causes it.

    The table kept its name from when the outbox lived in registrations
    (moved without copying a row, migration ``mail.0001``); the foreign keys
    name their models as strings so this app never imports the apps above it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        """Every kind of email; each has a builder (``mail.render.register``) and templates."""

        REGISTRATION_RECEIVED = "registration_received", _("Registration received")
        REGISTRATION_CONFIRMED = "registration_confirmed", _("Registration confirmed")
        REGISTRATION_WAITLISTED = "registration_waitlisted", _("Registration waitlisted")
        REGISTRATION_PROMOTED = "registration_promoted", _("Seat from the waitlist")
        REGISTRATION_REJECTED = "registration_rejected", _("Registration rejected")
        REGISTRATION_CANCELLED = "registration_cancelled", _("Registration cancelled")
        REGISTRATION_HOLD_RELEASED = "registration_hold_released", _("Held seat released")
        PRIVATE_LINK = "private_link", _("Private link")
        BOOKING_CONFIRMED = "booking_confirmed", _("Session booked")
        BOOKING_WAITLISTED = "booking_waitlisted", _("Session waitlisted")
        BOOKING_PROMOTED = "booking_promoted", _("Session seat from the waitlist")
        BOOKING_CANCELLED = "booking_cancelled", _("Session booking cancelled")
        AGENDA_UPDATE = "agenda_update", _("Agenda change")
        MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
        MEETING_REMINDER = "meeting_reminder", _("Meeting reminder")
        PARTICIPANT_MESSAGE = "participant_message", _("Message to participants")
        B2B_REQUEST_RECEIVED = "b2b_request_received", _("B2B meeting requested")
        B2B_REQUEST_ACCEPTED = "b2b_request_accepted", _("B2B request accepted")
        B2B_REQUEST_DECLINED = "b2b_request_declined", _("B2B request declined")
        B2B_MEETING_SCHEDULED = "b2b_meeting_scheduled", _("B2B meeting scheduled")
        B2B_MEETING_CANCELLED = "b2b_meeting_cancelled", _("B2B meeting cancelled")
        B2B_SCHEDULE = "b2b_schedule", _("B2B schedule (preliminary or final)")
        B2B_OUTCOME_REMINDER = "b2b_outcome_reminder", _("B2B meetings: how did they go?")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    recipient = models.EmailField(_("recipient"), max_length=254)
    meeting = models.ForeignKey(
        "events.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    registration = models.ForeignKey(
        "registrations.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    session = models.ForeignKey(
        "agenda.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    # The organizer's message this email carries (kind "participant_message").
    participant_message = models.ForeignKey(
        "registrations.ParticipantMessage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When the next try is due after a transient failure; the sweep enqueues
    # pending rows whose time has passed and that no task has picked up.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Not to be sent before this time: agenda-change notices wait a few minutes
    # so that several edits reach each attendee as one email.
    send_after = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "registrations_outboxmessage"
        ordering = ["created_at", "pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_pending")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.get_status_display()})"
