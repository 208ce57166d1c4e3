"""Registrations, session bookings and organizers' messages to participants.

One Registration is a person's identity for everything at a meeting: their
bookings, their private link and personal calendar, later their B2B meetings
and their check-in.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agenda.models import Session
from events.models import Meeting, Organization
from events.regions import REGION_MAX_LENGTH, Region, region_label
from events.text import validate_email_domain_name, validate_one_line

# new_token is also the default that migration 0001 names.
from registrations.tokens import new_token, seal, token_hash, unseal


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="registrations")
    # The private link's token and the calendar feed's, each as a SHA-256 for the
    # lookup and sealed for the links we build (registrations/tokens.py); set
    # through the ``token`` and ``feed_token`` properties, made on the first save.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_sealed = models.TextField(editable=False)
    feed_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    feed_token_sealed = models.TextField(editable=False)
    first_name = models.CharField(_("first name"), max_length=100, validators=[validate_one_line])
    last_name = models.CharField(_("last name"), max_length=100, validators=[validate_one_line])
    email = models.EmailField(_("email"), max_length=254, validators=[validate_email_domain_name])
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    organization_name = models.CharField(
        _("organization name"),
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text=_("As typed by the participant when it is not a known organization."),
    )
    job_title = models.CharField(
        _("job title"), max_length=200, blank=True, validators=[validate_one_line]
    )
    region = models.CharField(
        _("region"), max_length=REGION_MAX_LENGTH, choices=Region.choices, blank=True
    )
    region_legacy = models.CharField(
        _("region as typed before the list"),
        max_length=100,
        blank=True,
        help_text=_(
            "Kept from when region was free text, because it named none of the regions. "
            "Choose the region that fits."
        ),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Meeting.Language.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # Arrival order for the waitlist: set when the person joins it.
    waitlisted_at = models.DateTimeField(null=True, blank=True, editable=False)
    consent_processing_at = models.DateTimeField(_("consented to processing at"))
    consent_text_version = models.CharField(_("consent text version"), max_length=40)
    consent_listing = models.BooleanField(_("appears in the participants' list"), default=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # When the person first opened their private link (proof that the address reads its mail).
    link_opened_at = models.DateTimeField(_("link first opened at"), null=True, blank=True)
    # A confirmed registration whose link was never opened holds its seat until then;
    # kept on the row when the hold ran out (status cancelled): "released, never opened".
    hold_expires_at = models.DateTimeField(_("seat held until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "meeting", name="registration_unique_email_per_meeting"
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "status", "waitlisted_at"], name="registration_queue"),
            models.Index(
                fields=["hold_expires_at"],
                name="registration_holds",
                condition=Q(status="confirmed", hold_expires_at__isnull=False),
            ),
            # One meeting's expired holds, looked up under its capacity lock by every
            # registration change (services/waitlist.py, expired_holds_release).
            models.Index(
                fields=["meeting", "hold_expires_at"],
                name="registration_meeting_holds",
                condition=Q(status="confirmed", hold_expires_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def save(self, *args, **kwargs):
        # Both secrets exist from the first save on, whoever creates the row.
        if not self.token_hash:
            self.token = new_token()
        if not self.feed_token_hash:
            self.feed_token = new_token()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registrations:private-link", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        """The private-link token in clear text (full control of the registration)."""
        return self._unsealed("token_sealed")

    @token.setter
    def token(self, value: str) -> None:
        self.token_hash = token_hash(value)
        self.token_sealed = seal(value)

    @property
    def feed_token(self) -> str:
        """The calendar feed's token in clear text (reads the personal agenda only)."""
        return self._unsealed("feed_token_sealed")

    @feed_token.setter
    def feed_token(self, value: str) -> None:
        self.feed_token_hash = token_hash(value)
        self.feed_token_sealed = seal(value)

    def _unsealed(self, field: str) -> str:
        sealed = getattr(self, field)
        cache = self.__dict__.setdefault("_unsealed_cache", {})
        if cache.get(field, (None,))[0] != sealed:
            cache[field] = (sealed, unseal(sealed))
        return cache[field][1]

    @property
    def is_held(self) -> bool:
        """Confirmed, but the seat is only held until the person opens their link."""
        return self.status == self.Status.CONFIRMED and self.hold_expires_at is not None

    @property
    def hold_expired(self) -> bool:
        """Cancelled because the held seat was never confirmed by opening the link."""
        return self.status == self.Status.CANCELLED and self.hold_expires_at is not None

    @property
    def is_active(self) -> bool:
        """Not cancelled or rejected: the registration still counts at its meeting."""
        return self.status not in (self.Status.CANCELLED, self.Status.REJECTED)

    def can_change_choices(self, now: dt.datetime | None = None) -> bool:
        """Whether the person may still change their session choices (no query once the
        meeting is loaded): while the registration counts and the meeting is not over."""
        return self.is_active and not self.meeting.is_past(now)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def organization_display(self) -> str:
        return str(self.organization) if self.organization_id else self.organization_name


class SessionBooking(models.Model):
    """A registration's choice of a session: a seat when it needs booking, else a bookmark."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        # A seat-limited choice of a registration that is not confirmed yet:
        # it gets a seat or a waitlist place when the registration is confirmed.
        REQUESTED = "requested", _("Requested")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="bookings"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.BOOKED
    )
    waitlisted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session__starts_at", "pk"]
        verbose_name = _("session booking")
        verbose_name_plural = _("session bookings")
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="booking_unique"),
        ]
        indexes = [
            models.Index(fields=["session", "status", "waitlisted_at"], name="booking_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.full_name} → {self.session} ({self.get_status_display()})"


class ParticipantMessage(models.Model):
    """A message an organizer wrote to some of the meeting's participants.

    Saved when it is sent, with one outbox row per recipient
    (``mail.OutboxMessage.participant_message``); the audience is kept as the filter
    that chose them. ``token`` comes from the confirmation form, so the same
    confirmation posted twice is one message.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participant_messages"
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=200, validators=[validate_one_line])
    body = models.TextField(
        _("message"), max_length=20_000, validators=[MaxLengthValidator(20_000)]
    )
    audience_statuses = models.JSONField(_("registration statuses"), default=list)
    audience_session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant_messages",
        verbose_name=_("session booked"),
    )
    audience_region = models.CharField(_("region"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to participants")
        verbose_name_plural = _("messages to participants")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("orga:message-detail", kwargs={"slug": self.meeting.slug, "pk": self.pk})

    @property
    def audience_status_labels(self) -> list[str]:
        labels = dict(Registration.Status.choices)
        return [str(labels.get(status, status)) for status in self.audience_statuses]

    @property
    def audience_region_label(self) -> str:
        return region_label(self.audience_region)
