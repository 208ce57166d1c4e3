"""Organisations, meetings, venues, rooms and who organizes what."""

import datetime as dt
import zoneinfo
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.regions import REGION_MAX_LENGTH, Region
from events.text import (
    LONG_TEXT_MAX_LENGTH,
    long_text_validators,
    validate_email_domain_name,
    validate_one_line,
)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone name."), params={"value": value}
        )


class Organization(models.Model):
    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("Cluster")
        COMPANY = "company", _("Company")
        PUBLIC_BODY = "public_body", _("Public body")
        FEDERATION = "federation", _("Federation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True, validators=[validate_one_line])
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, validators=[validate_one_line]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLUSTER)
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
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.short_name or self.name


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    address = models.CharField(
        _("address"), max_length=300, blank=True, validators=[validate_one_line]
    )
    city = models.CharField(_("city"), max_length=100, blank=True, validators=[validate_one_line])
    country = models.CharField(
        _("country"), max_length=100, blank=True, validators=[validate_one_line]
    )
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["name", "city"], name="venue_unique_name_city"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}" if self.city else self.name

    @property
    def full_address(self) -> str:
        return ", ".join(
            part for part in (self.name, self.address, self.city, self.country) if part
        )


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100, validators=[validate_one_line])
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats; empty means unknown.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["venue", "position", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="room_unique_name_per_venue"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="room_capacity_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MeetingQuerySet(models.QuerySet):
    def public(self) -> "MeetingQuerySet":
        """Meetings anybody may see: published ones, and cancelled ones (marked as such)."""
        return self.filter(status__in=[Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED])

    def organized_by(self, user) -> "MeetingQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            organizer_roles__user=user, organizer_roles__role=MeetingOrganizer.Role.ORGANIZER
        )

    def visible_to(self, user) -> "MeetingQuerySet":
        """Public meetings, plus the drafts of meetings the user organizes."""
        if not user.is_authenticated:
            return self.public()
        if user.is_superuser:
            return self.all()
        organized = MeetingOrganizer.objects.filter(
            user=user, role=MeetingOrganizer.Role.ORGANIZER
        ).values("meeting_id")
        return self.filter(
            Q(status__in=[Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED]) | Q(pk__in=organized)
        )


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")

    class RegistrationPhase(models.TextChoices):
        """Where registration stands (``registration_phase``): only OPEN lets people in.

        Not shown as such (pages word each phase themselves), so the labels are not translated.
        """

        DRAFT = "draft"
        CANCELLED = "cancelled"
        OVER = "over"
        NOT_YET = "not_yet"
        CLOSED = "closed"
        OPEN = "open"

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=long_text_validators(),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Madrid", validators=[validate_timezone]
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=Language.choices,
        default=Language.SPANISH,
        help_text=_("Language of the emails sent to participants."),
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means unlimited.")
    )
    requires_approval = models.BooleanField(_("registrations need approval"), default=False)
    hold_unconfirmed_seats = models.BooleanField(
        _("hold seats until the email link is opened"),
        default=True,
        help_text=_(
            "With a capacity: a seat given to someone who has not opened their emailed link "
            "yet is only held for a while (SEAT_HOLD_MINUTES); unopened, it goes to the next "
            "person waiting."
        ),
    )
    contact_email = models.EmailField(
        _("contact email"), blank=True, validators=[validate_email_domain_name]
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="meetings",
        verbose_name=_("participating organizations"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="meeting_ends_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="meeting_capacity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="meeting_registration_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:meeting-detail", kwargs={"slug": self.slug})

    @property
    def holds_seats(self) -> bool:
        """Whether a seat given to someone who has not opened their link yet is only held."""
        return self.hold_unconfirmed_seats and self.capacity is not None

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day cannot be before the first day.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if errors:
            raise ValidationError(errors)

    @cached_property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def contact_address(self) -> str:
        """The contact email when it is one valid address, else "" (for Reply-To, ORGANIZER).

        A row written before the email rules may hold anything, a line break included.
        """
        try:
            validate_email(self.contact_email)
        except ValidationError:
            return ""
        return self.contact_email

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.CANCELLED)

    @property
    def days(self) -> list[dt.date]:
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + dt.timedelta(days=i) for i in range(count)]

    @property
    def starts_at(self) -> dt.datetime:
        """Midnight of the first day, in the meeting's time zone."""
        return dt.datetime.combine(self.starts_on, dt.time.min, tzinfo=self.tzinfo)

    @property
    def ends_at(self) -> dt.datetime:
        """Midnight after the last day, in the meeting's time zone."""
        return dt.datetime.combine(
            self.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=self.tzinfo
        )

    def is_past(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def registration_phase(self, now: dt.datetime | None = None) -> "Meeting.RegistrationPhase":
        """Where registration stands at ``now``, from the meeting's own fields (no query).

        The first reason that keeps people out wins: the status (a cancelled
        meeting says so even once it is over), then the meeting being over,
        then the window, which opens at ``registration_opens_at`` and closes at
        ``registration_closes_at`` (both instants included in that order).
        Seats are not looked at: a full meeting is still open (to its waitlist).
        """
        now = now or timezone.now()
        phase = self.RegistrationPhase
        if self.status == self.Status.CANCELLED:
            return phase.CANCELLED
        if self.status != self.Status.PUBLISHED:
            return phase.DRAFT
        if self.is_past(now):
            return phase.OVER
        if self.registration_opens_at and now < self.registration_opens_at:
            return phase.NOT_YET
        if self.registration_closes_at and now >= self.registration_closes_at:
            return phase.CLOSED
        return phase.OPEN

    def registration_is_open(self, now: dt.datetime | None = None) -> bool:
        return self.registration_phase(now) == self.RegistrationPhase.OPEN


class MeetingOrganizer(models.Model):
    """A user's role on one meeting: organizing one meeting grants nothing on the others."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        CHECKIN = "checkin", _("Check-in staff")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="organizer_roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ORGANIZER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting organizer")
        verbose_name_plural = _("meeting organizers")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="organizer_unique_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) — {self.meeting}"
