"""Registering, cancelling, approving and the private link."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.locking import retry_when_busy
from events.models import Meeting, Organization
from events.regions import Region
from events.text import nfc, validate_email_domain_name, validate_one_line
from mail.models import OutboxMessage
from registrations.consent import CONSENT_TEXT_VERSION
from registrations.models import Registration, SessionBooking
from registrations.services.bookings import (
    booking_place,
    bookings_release,
    sessions_lock_for_choice,
)
from registrations.services.errors import RegistrationError
from registrations.services.locking import CapacityLock, capacity_lock
from registrations.services.notifications import notify_private_link, notify_registration
from registrations.services.waitlist import (
    expired_holds_release,
    hold_payload,
    hold_until,
    registration_confirm,
    seat_for_newcomer,
    waitlist_fill,
)
from registrations.tokens import new_token

Kind = OutboxMessage.Kind
Status = Registration.Status

# A repeated registration re-sends the link at most once per this many seconds,
# so the public form cannot be used to flood somebody's inbox.
REPEAT_LINK_WINDOW_SECONDS = 600


Phase = Meeting.RegistrationPhase

CLOSED_REASONS = {
    Phase.CANCELLED: gettext_lazy("This meeting has been cancelled."),
    Phase.DRAFT: gettext_lazy("Registration is not open for this meeting."),
    Phase.OVER: gettext_lazy("This meeting is over."),
    Phase.NOT_YET: gettext_lazy("Registration has not opened yet."),
    Phase.CLOSED: gettext_lazy("Registration is closed."),
}


def registration_closed_reason(meeting: Meeting, now: dt.datetime | None = None) -> str | None:
    """Why nobody can register now, in words for people; None when registration is open."""
    phase = meeting.registration_phase(now)
    return None if phase == Phase.OPEN else str(CLOSED_REASONS[phase])


def clean_email(email: str) -> str:
    """The address as stored and compared: NFC, domain lower-cased; refused when not one.

    NFC first, so "josé@…" typed with a combining accent is the same person as
    "josé@…" typed with one character (the unique constraint compares the stored text).
    An IP-literal domain ("ana@[127.0.0.1]") is no organisation's mail server.
    """
    email = BaseUserManager.normalize_email(nfc((email or "").strip()))
    try:
        validate_email(email)
        validate_email_domain_name(email)
    except ValidationError as exc:
        raise RegistrationError(exc.messages[0], field="email") from exc
    return email


def clean_text(value: str, field: str, *, model_field: str = "", required: bool = False) -> str:
    """A one-line field as typed: refused with unsafe characters or too long, else NFC with
    its spaces tidied."""
    value = nfc(value or "")
    try:
        validate_one_line(value)
    except ValidationError as exc:
        raise RegistrationError(exc.messages[0], field=field) from exc
    value = " ".join(value.split())
    if required and not value:
        raise RegistrationError(_("This field is required."), field=field)
    max_length = Registration._meta.get_field(model_field or field).max_length
    if len(value) > max_length:
        raise RegistrationError(
            _("Use at most %(max)d characters.") % {"max": max_length}, field=field
        )
    return value


def organization_match(*, meeting: Meeting, name: str) -> Organization | None:
    """The meeting's organisation called ``name`` (full or short name, any case)."""
    if not name:
        return None
    return (
        meeting.organizations.filter(Q(name__iexact=name) | Q(short_name__iexact=name))
        .order_by("pk")
        .first()
    )


def registration_find(*, meeting: Meeting, email: str) -> Registration | None:
    """The registration the unique constraint counts as this email's, if any.

    Compared with the constraint's own expression, ``Lower(email)``, not
    ``iexact`` (``UPPER`` on PostgreSQL): the two disagree on a few letters
    (the Kelvin sign "K" lowers to "k" but stays itself in upper case), and
    a repeat that the lookup missed would hit the constraint twice — a 500.
    """
    return (
        Registration.objects.alias(email_lower=Lower("email"))
        .filter(meeting=meeting, email_lower=Lower(Value(email)))
        .first()
    )


def registration_create(
    *,
    meeting: Meeting,
    first_name: str,
    last_name: str,
    email: str,
    organization: str = "",
    job_title: str = "",
    region: str = "",  # a Region code, or "" for none
    session_ids: Iterable[int] = (),
    consent_processing: bool,
    consent_listing: bool = False,
    language: str = "",
) -> Registration:
    """Register a person, or — when the email is already registered — re-send their link.

    Both outcomes look the same to the caller's audience (the answer is
    "check your email"), so nobody can learn who is registered. The new
    registration is confirmed when a seat is free, pending when the meeting
    needs approval, otherwise waitlisted in arrival order.
    """
    first_name = clean_text(first_name, "first_name", required=True)
    last_name = clean_text(last_name, "last_name", required=True)
    email = clean_email(email)
    organization_name = clean_text(organization, "organization", model_field="organization_name")
    job_title = clean_text(job_title, "job_title")
    if not consent_processing:
        raise RegistrationError(
            _("We need your consent to process your data to register you."),
            field="consent_processing",
        )
    if language and language not in Meeting.Language.values:
        raise RegistrationError(_("Choose a language we write in."), field="language")
    if region and region not in Region.values:
        raise RegistrationError(_("Choose a region from the list."), field="region")
    reason = registration_closed_reason(meeting)
    if reason:
        raise RegistrationError(reason)
    # Everything is checked before looking the email up (under the lock), so a
    # repeat and a first registration fail (or succeed) alike.
    session_ids = list(session_ids)
    known_organization = organization_match(meeting=meeting, name=organization_name)
    fields = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "organization": known_organization,
        "organization_name": "" if known_organization else organization_name,
        "job_title": job_title,
        "region": region or "",
        "language": language or "",
        "consent_listing": bool(consent_listing),
        "consent_text_version": CONSENT_TEXT_VERSION,
    }
    try:
        return _registration_arrive(meeting=meeting, session_ids=session_ids, fields=fields)
    except IntegrityError:
        # The same person registered at the same moment in another request (the
        # lookup runs under the meeting lock, so only without that lock): now a repeat.
        return _registration_arrive(meeting=meeting, session_ids=session_ids, fields=fields)


def email_domain_family(email: str) -> str:
    """The part of the address's domain that one owner controls: ``a.b.fnc.es`` → ``fnc.es``.

    Subdomains count with their parent so a catch-all domain cannot escape the
    limit; a few second-level labels (``co.uk``, ``com.es``) keep one label more.
    """
    labels = email.rsplit("@", 1)[-1].lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL_LABELS else 2
    return ".".join(labels[-keep:])


SECOND_LEVEL_LABELS = {"ac", "co", "com", "edu", "gob", "gov", "net", "nom", "org"}


def domain_limited_family(email: str) -> str | None:
    """The email's domain family when REGISTRATIONS_PER_DOMAIN_PER_HOUR applies to it."""
    family = email_domain_family(email)
    if not settings.REGISTRATIONS_PER_DOMAIN_PER_HOUR:
        return None
    if family in settings.REGISTRATION_DOMAIN_ALLOWLIST:
        return None
    return family


def domain_recent_filter(family: str, now: dt.datetime) -> Q:
    """Registrations that arrived (consented) in the last hour with an address at ``family``."""
    return (Q(email__iendswith=f"@{family}") | Q(email__iendswith=f".{family}")) & Q(
        consent_processing_at__gte=now - dt.timedelta(hours=1)
    )


def registration_domain_check(
    *, meeting: Meeting, email: str, now: dt.datetime, recent: int | None = None
) -> None:
    """At most REGISTRATIONS_PER_DOMAIN_PER_HOUR arrivals per meeting per email domain an hour.

    Counted from the registrations themselves (an arrival is its consent time),
    under the capacity lock, for first registrations and repeats alike. Domains
    in REGISTRATION_DOMAIN_ALLOWLIST are not limited. ``recent``: that count,
    when the caller has just made it under the lock (``arrival_census``).
    """
    limit = settings.REGISTRATIONS_PER_DOMAIN_PER_HOUR
    family = domain_limited_family(email)
    if family is None:
        return
    if recent is None:
        recent = Registration.objects.filter(
            domain_recent_filter(family, now), meeting=meeting
        ).count()
    if recent >= limit:
        raise RegistrationError(
            _(
                "Too many registrations with addresses at %(domain)s in the last hour. "
                "Please try again later or write to the organizers."
            )
            % {"domain": family},
            field="email",
        )


def arrival_census(*, lock: CapacityLock, email: str, now: dt.datetime) -> dict:
    """What an arrival decides from, read in one query of the meeting's registrations
    under its lock: seats taken, people waiting, holds that ran out, this email's
    registration (``registration_find``'s comparison), and the recent arrivals from
    its domain when that limit applies (else None)."""
    family = domain_limited_family(email)
    counts = {
        "confirmed": Count("pk", filter=Q(status=Status.CONFIRMED)),
        "waiting": Count("pk", filter=Q(status=Status.WAITLISTED)),
        "expired": Count("pk", filter=Q(status=Status.CONFIRMED, hold_expires_at__lte=now)),
        "existing": Max("pk", filter=Q(email_lower=Lower(Value(email)))),
    }
    if family is not None:
        counts["same_domain"] = Count("pk", filter=domain_recent_filter(family, now))
    census = (
        Registration.objects.alias(email_lower=Lower("email"))
        .filter(meeting=lock.meeting)
        .aggregate(**counts)
    )
    census.setdefault("same_domain", None)
    return census


@retry_when_busy()
def _registration_arrive(*, meeting: Meeting, session_ids: list[int], fields: dict) -> Registration:
    """A new arrival (a new row, or the row of a cancelled registration) or a repeat.

    Both take the same path — the capacity lock, the chosen sessions' locks,
    the seat decision, a write of the registration row and one outbox row — so
    the time of the answer does not tell whether the email was registered
    (docs/benchmarks.md, "Repeated registrations"). Every read is made once,
    under the lock (docs/benchmarks.md, "One registration").
    """
    with capacity_lock(meeting_id=meeting.pk) as lock:
        now = timezone.now()  # taken under the lock: arrival order is lock order
        census = arrival_census(lock=lock, email=fields["email"], now=now)
        if census["expired"]:
            expired_holds_release(lock=lock, now=now)
            census = arrival_census(lock=lock, email=fields["email"], now=now)
        reason = registration_closed_reason(lock.meeting, now)
        if reason:
            raise RegistrationError(reason)
        sessions = sessions_lock_for_choice(lock=lock, session_ids=session_ids)
        registration_domain_check(
            meeting=lock.meeting, email=fields["email"], now=now, recent=census["same_domain"]
        )
        if lock.meeting.requires_approval:
            status, kind = Status.PENDING, Kind.REGISTRATION_RECEIVED
        elif seat_for_newcomer(lock=lock, now=now, counts=(census["confirmed"], census["waiting"])):
            status, kind = Status.CONFIRMED, Kind.REGISTRATION_CONFIRMED
        else:
            status, kind = Status.WAITLISTED, Kind.REGISTRATION_WAITLISTED
        locked = lock.sessions
        existing = None
        if census["existing"] is not None:
            existing = Registration.objects.select_for_update(of=("self",)).get(
                pk=census["existing"]
            )
            existing.meeting = lock.meeting
            if existing.status != Status.CANCELLED:
                for session in sessions:
                    # The seat decision a first arrival makes, on a booking never saved:
                    # the same reads (and the same fill of seats freed meanwhile).
                    booking_place(
                        SessionBooking(registration=existing, session=session),
                        locked[session.pk],
                        registration_confirmed=status == Status.CONFIRMED,
                        now=now,
                    )
                return _registration_repeat(registration=existing, now=now)
        values = {
            "status": status,
            "waitlisted_at": now if status == Status.WAITLISTED else None,
            "consent_processing_at": now,
            "cancelled_at": None,
            "hold_expires_at": None,
            **fields,
        }
        if existing is None:
            registration = Registration(meeting=lock.meeting, **values)
            earlier = {}
            key = None
        else:
            registration = existing
            earlier = {booking.session_id: booking for booking in existing.bookings.all()}
            for name, value in values.items():
                setattr(registration, name, value)
            # Its earlier emails keep their keys: this arrival's are new ones.
            key = f"{kind.removeprefix('registration_')}:{int(now.timestamp() * 1_000_000)}"
        if status == Status.CONFIRMED:
            registration.hold_expires_at = hold_until(lock=lock, registration=registration, now=now)
        registration.save()
        confirmed = status == Status.CONFIRMED
        for session in sessions:
            booking = earlier.get(session.pk) or SessionBooking(
                registration=registration, session=session
            )
            booking_place(booking, locked[session.pk], registration_confirmed=confirmed, now=now)
            booking.save()
        # A new row's key, or a key made of this instant: it cannot exist yet.
        notify_registration(
            registration, kind, key=key, payload=hold_payload(registration), new_key=True
        )
    return registration


def _registration_repeat(*, registration: Registration, now: dt.datetime) -> Registration:
    """Somebody registered again with this email: send the link again, change nothing else.

    Inside the arrival's lock; the row is written (``updated_at`` only) as a
    first arrival writes its row. At most one link email per
    REPEAT_LINK_WINDOW_SECONDS, so the form cannot flood somebody's inbox.
    """
    window = int(now.timestamp()) // REPEAT_LINK_WINDOW_SECONDS
    registration.save(update_fields=["updated_at"])
    # The row lock taken by the arrival is held by every writer of this key.
    notify_private_link(registration, key=f"repeat:{window}", key_locked=True)
    return registration


def registration_resend_link(*, registration: Registration) -> Registration:
    """Send the private link again (an organizer or the person asked for it)."""
    with transaction.atomic():
        notify_private_link(registration)
    return registration


def registration_token_rotate(*, registration: Registration) -> Registration:
    """A new private link: the old link and the old personal calendar URL stop working.

    The calendar feed gets a new token too: the private-link page shows the feed's
    address, so whoever had the old link may have copied it. The new link is only
    emailed, so whoever holds the old one does not learn it.
    """
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.token = new_token()
        registration.feed_token = new_token()
        registration.save(
            update_fields=[
                "token_hash",
                "token_sealed",
                "feed_token_hash",
                "feed_token_sealed",
                "updated_at",
            ]
        )
        notify_private_link(registration, key=f"rotated:{registration.token_hash[:16]}")
    return registration


def registration_feed_token_rotate(*, registration: Registration) -> Registration:
    """A new calendar address: the old ``/calendar/<token>.ics`` stops working at once.

    The private link stays as it is. No email: the new address is shown on the
    private-link page where the person asked for it.
    """
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.feed_token = new_token()
        registration.save(update_fields=["feed_token_hash", "feed_token_sealed", "updated_at"])
    return registration


def registration_language_set(*, registration: Registration, language: str) -> Registration:
    """The language of the person's emails from now on (they chose it on their private pages).

    The same language again writes nothing.
    """
    if language not in Meeting.Language.values:
        raise RegistrationError(_("Choose a language we write in."), field="language")
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.language != language:
            registration.language = language
            registration.save(update_fields=["language", "updated_at"])
    return registration


@retry_when_busy()
def registration_cancel(*, registration: Registration, by_organizer: bool = False) -> Registration:
    """Cancel; a freed seat goes at once to the first person waiting (same transaction).

    Cancelling twice changes nothing and sends nothing the second time.
    """
    with capacity_lock(meeting_id=registration.meeting_id) as lock:
        now = timezone.now()  # taken under the lock: arrival order is lock order
        expired_holds_release(lock=lock, now=now)
        registration = Registration.objects.select_related("meeting").get(pk=registration.pk)
        if registration.status in (Status.CANCELLED, Status.REJECTED):
            return registration
        if not by_organizer and lock.meeting.is_past(now):
            raise RegistrationError(_("This meeting is over."))
        held_seat = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.waitlisted_at = None
        registration.hold_expires_at = None  # kept only on holds that ran out
        registration.save(
            update_fields=[
                "status",
                "cancelled_at",
                "waitlisted_at",
                "hold_expires_at",
                "updated_at",
            ]
        )
        bookings_release(lock=lock, registration=registration)
        notify_registration(
            registration,
            Kind.REGISTRATION_CANCELLED,
            payload={"by_organizer": by_organizer},
        )
        if held_seat:
            waitlist_fill(lock=lock, now=now)
    return registration


def registration_approve_refusal(registration: Registration) -> str | None:
    """Why ``registration_approve`` would refuse it (from the status alone); None: it applies."""
    if registration.status != Status.PENDING:
        return _("Only registrations waiting for approval can be approved.")
    return None


def registration_reject_refusal(registration: Registration) -> str | None:
    """Why ``registration_reject`` would refuse it (from the status alone); None: it applies."""
    if registration.status not in (Status.PENDING, Status.WAITLISTED):
        return _("Only pending or waitlisted registrations can be rejected; cancel the others.")
    return None


def registration_cancel_refusal(registration: Registration) -> str | None:
    """Why an organizer's cancel would change nothing (status only); None: it applies.

    ``registration_cancel`` itself answers a repeat quietly (the person may press
    twice); an organizer's page says so instead.
    """
    if registration.status == Status.CANCELLED:
        return _("This registration is already cancelled.")
    if registration.status == Status.REJECTED:
        return _("This registration was rejected: there is nothing to cancel.")
    return None


@retry_when_busy()
def registration_approve(*, registration: Registration) -> Registration:
    """An organizer accepts a pending registration: a seat if one is free, else the waitlist."""
    with capacity_lock(meeting_id=registration.meeting_id) as lock:
        now = timezone.now()  # taken under the lock: arrival order is lock order
        expired_holds_release(lock=lock, now=now)
        registration = Registration.objects.select_related("meeting").get(pk=registration.pk)
        refusal = registration_approve_refusal(registration)
        if refusal:
            raise RegistrationError(refusal)
        if seat_for_newcomer(lock=lock, now=now):
            # The organizer chose this person: the seat is given, not held.
            registration_confirm(lock=lock, registration=registration, now=now, hold=False)
            notify_registration(
                registration,
                Kind.REGISTRATION_CONFIRMED,
                payload=hold_payload(registration),
            )
        else:
            registration.status = Status.WAITLISTED
            registration.waitlisted_at = now
            registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
            notify_registration(registration, Kind.REGISTRATION_WAITLISTED)
    return registration


@retry_when_busy()
def registration_reject(*, registration: Registration, reason: str = "") -> Registration:
    """An organizer turns down a pending or waitlisted registration (it held no seat).

    ``reason``, when given, is quoted in the email to the person.
    """
    with capacity_lock(meeting_id=registration.meeting_id) as lock:
        expired_holds_release(lock=lock, now=timezone.now())
        registration = Registration.objects.select_related("meeting").get(pk=registration.pk)
        refusal = registration_reject_refusal(registration)
        if refusal:
            raise RegistrationError(refusal)
        registration.status = Status.REJECTED
        registration.waitlisted_at = None
        registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
        bookings_release(lock=lock, registration=registration)
        reason = (reason or "").strip()
        notify_registration(
            registration,
            Kind.REGISTRATION_REJECTED,
            payload={"reason": reason} if reason else None,
        )
    return registration
