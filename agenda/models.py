"""Tracks, sessions, speakers. The rules that tie them together live in services.py."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.models import Meeting, Organization, Room
from events.text import (
    LONG_TEXT_MAX_LENGTH,
    long_text_validators,
    validate_email_domain_name,
    validate_one_line,
)

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f6feb."))


class Track(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=100, validators=[validate_one_line])
    slug = models.SlugField(_("slug"), max_length=100)
    colour = models.CharField(_("colour"), max_length=7, default="#1f6feb", validators=[hex_colour])
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "position", "name"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "slug"], name="track_unique_slug_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["meeting", "name"], name="track_unique_name_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Speaker(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers")
    slug = models.SlugField(_("slug"), max_length=100)
    name = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    job_title = models.CharField(
        _("job title"), max_length=200, blank=True, validators=[validate_one_line]
    )
    bio = models.TextField(
        _("biography"),
        blank=True,
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=long_text_validators(),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="speakers"
    )
    # Private: never shown on public pages, feeds or the public API.
    email = models.EmailField(
        _("email (private)"), blank=True, validators=[validate_email_domain_name]
    )
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, validators=[validate_one_line]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "slug"], name="speaker_unique_slug_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["meeting", "external_id"],
                condition=~Q(external_id=""),
                name="speaker_unique_external_id_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "agenda:speaker-detail", kwargs={"slug": self.meeting.slug, "speaker": self.slug}
        )


class SessionQuerySet(models.QuerySet):
    def listed(self) -> "SessionQuerySet":
        """What the public sees: confirmed and cancelled sessions (drafts are invisible)."""
        return self.filter(status__in=[Session.Status.CONFIRMED, Session.Status.CANCELLED])


class Session(models.Model):
    class Kind(models.TextChoices):
        KEYNOTE = "keynote", _("Keynote")
        TALK = "talk", _("Talk")
        PANEL = "panel", _("Panel")
        GOOD_PRACTICE = "good_practice", _("Good practice")
        WORKSHOP = "workshop", _("Workshop")
        NETWORKING = "networking", _("Networking")
        B2B = "b2b", _("B2B meetings")
        BREAK = "break", _("Break")
        SOCIAL = "social", _("Social")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    abstract = models.TextField(
        _("abstract"),
        blank=True,
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=long_text_validators(),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TALK)
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Empty means the room's capacity, or unlimited."),
    )
    requires_booking = models.BooleanField(_("needs booking"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Bumped on every change of time, place or status once the meeting is
    # published, so calendar clients take the change as an update (RFC 5545).
    sequence = models.PositiveIntegerField(_("sequence"), default=0, editable=False)
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, validators=[validate_one_line]
    )
    # The title and abstract are shown in the language they were written in (marked with
    # ``lang`` on the page); a SessionTranslation adds a title/abstract in another one.
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=Meeting.Language.choices,
        blank=True,
        help_text=_("Language of the title and abstract. Empty means the meeting's language."),
    )
    speakers = models.ManyToManyField(
        Speaker, through="SessionSpeaker", related_name="sessions", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "starts_at", "room__position", "title"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["meeting", "starts_at"], name="session_meeting_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(
                    starts_at__isnull=False,
                    ends_at__isnull=False,
                    ends_at__gt=models.F("starts_at"),
                ),
                name="session_times_set_together_and_in_order",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="session_capacity_not_negative",
            ),
            models.UniqueConstraint(
                fields=["meeting", "external_id"],
                condition=~Q(external_id=""),
                name="session_unique_external_id_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agenda:session-detail", kwargs={"slug": self.meeting.slug, "pk": self.pk})

    @property
    def content_language(self) -> str:
        """The language the title and abstract are written in."""
        return self.language or self.meeting.language

    @property
    def is_scheduled(self) -> bool:
        return self.starts_at is not None and self.room_id is not None

    @property
    def effective_capacity(self) -> int | None:
        """Seats that can be booked: the session's own limit, else the room's, else None."""
        if self.capacity is not None:
            return self.capacity
        return self.room.capacity if self.room_id else None


class SessionSpeaker(models.Model):
    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        PANELIST = "panelist", _("Panelist")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="session_links")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "position", "pk"]
        verbose_name = _("session speaker")
        verbose_name_plural = _("session speakers")
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker"], name="session_speaker_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker} ({self.get_role_display()}) in {self.session}"


class SessionTranslation(models.Model):
    """A session's title and abstract in another language, shown on the pages when the
    reader's language has one (the original stays the source: feeds, exports, emails)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=5, choices=Meeting.Language.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    abstract = models.TextField(
        _("abstract"),
        blank=True,
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=long_text_validators(),
    )

    class Meta:
        ordering = ["session", "language"]
        verbose_name = _("session translation")
        verbose_name_plural = _("session translations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "language"], name="session_translation_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"
