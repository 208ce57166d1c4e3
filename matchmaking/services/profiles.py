"""A person's B2B profile and marketplace entries (through their private link), and the
organizers' validation of profiles."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Organization
from events.regions import Region
from events.text import multi_line, one_line
from matchmaking.models import (
    ENTRY_MAX_LENGTH,
    PITCH_MAX_LENGTH,
    Language,
    MarketplaceEntry,
    Profile,
    Sector,
    Slot,
)
from matchmaking.selectors import matchmaking_get
from matchmaking.services.errors import MatchmakingError
from registrations.models import Registration

MAX_ENTRIES = 20

PROFILE_FIELDS = (
    "organization",
    "role",
    "pitch",
    "sectors",
    "region",
    "website",
    "languages",
    "listed",
    "unavailable_slots",
)


def _one_line(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    value = " ".join(one_line(value or "").split())
    if required and not value:
        raise MatchmakingError(_("This field is required."), field=field)
    if len(value) > max_length:
        raise MatchmakingError(
            _("Keep it under %(count)d characters.") % {"count": max_length}, field=field
        )
    return value


def _long_text(value: str, *, field: str, max_length: int) -> str:
    value = multi_line(value or "").strip()
    if len(value) > max_length:
        raise MatchmakingError(
            _("Keep it under %(count)d characters.") % {"count": max_length}, field=field
        )
    return value


def _website(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if "://" not in value:
        value = f"https://{value}"
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as exc:
        raise MatchmakingError(
            _("Enter a web address like https://example.org."), field="website"
        ) from exc
    if len(value) > 200:
        raise MatchmakingError(_("Keep it under 200 characters."), field="website")
    return value


def profile_for(*, registration: Registration) -> Profile:
    """The person's profile, or an unsaved one with what the registration already says."""
    profile = Profile.objects.filter(registration=registration).first()
    if profile is not None:
        return profile
    return Profile(
        registration=registration,
        meeting_id=registration.meeting_id,
        organization_id=registration.organization_id,
        role=registration.job_title,
        region=registration.region,
        listed=registration.consent_listing,
    )


def profile_refusal(registration: Registration) -> str | None:
    """Why this person cannot have a profile now; None when they can."""
    if matchmaking_get(meeting=registration.meeting) is None:
        return _("This meeting has no B2B meetings.")
    if registration.status in (Registration.Status.CANCELLED, Registration.Status.REJECTED):
        return _("This registration is cancelled.")
    return None


def profile_update(*, registration: Registration, **fields) -> Profile:
    """Save the person's profile with these fields (any of ``PROFILE_FIELDS``); a field
    posted back unchanged writes nothing, an unchanged profile is not saved."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {sorted(unknown)}")
    reason = profile_refusal(registration)
    if reason:
        raise MatchmakingError(reason)
    meeting = registration.meeting
    values = {}
    if "organization" in fields:
        organization = fields["organization"]
        if organization is not None:
            # The meeting's organisations, the registration's, or the one already named.
            current = Profile.objects.filter(registration=registration).values("organization")
            allowed = Organization.objects.filter(
                Q(meetings=meeting) | Q(pk=registration.organization_id) | Q(pk__in=current)
            )
            organization = allowed.filter(pk=getattr(organization, "pk", organization)).first()
            if organization is None:
                raise MatchmakingError(
                    _("Choose an organisation from the list."), field="organization"
                )
        values["organization"] = organization
    if "role" in fields:
        values["role"] = _one_line(fields["role"], field="role", max_length=200)
    if "pitch" in fields:
        values["pitch"] = _long_text(fields["pitch"], field="pitch", max_length=PITCH_MAX_LENGTH)
    if "region" in fields:
        region = fields["region"] or ""
        if region and region not in Region.values:
            raise MatchmakingError(_("Choose a region from the list."), field="region")
        values["region"] = region
    if "website" in fields:
        values["website"] = _website(fields["website"])
    if "languages" in fields:
        languages = list(dict.fromkeys(fields["languages"] or []))
        if any(code not in Language.values for code in languages):
            raise MatchmakingError(_("Choose languages from the list."), field="languages")
        values["languages"] = sorted(languages, key=Language.values.index)
    if "listed" in fields:
        values["listed"] = bool(fields["listed"])
    sectors = None
    if "sectors" in fields:
        ids = {getattr(sector, "pk", sector) for sector in fields["sectors"] or []}
        sectors = list(Sector.objects.filter(meeting=meeting, pk__in=ids))
        if len(sectors) != len(ids):
            raise MatchmakingError(_("Choose sectors from this meeting's list."), field="sectors")
    unavailable = None
    if "unavailable_slots" in fields:
        ids = {getattr(slot, "pk", slot) for slot in fields["unavailable_slots"] or []}
        unavailable = list(Slot.objects.filter(b2b_session__meeting=meeting, pk__in=ids))
        if len(unavailable) != len(ids):
            raise MatchmakingError(
                _("Choose slots of this meeting's B2B sessions."), field="unavailable_slots"
            )
    with transaction.atomic():
        profile = profile_for(registration=registration)
        changed = [name for name, value in values.items() if getattr(profile, name) != value]
        for name in changed:
            setattr(profile, name, values[name])
        if changed or profile.pk is None:
            profile.save()
        if sectors is not None and set(profile.sectors.all()) != set(sectors):
            profile.sectors.set(sectors)
            Profile.objects.filter(pk=profile.pk).update(updated_at=timezone.now())
        if unavailable is not None and set(profile.unavailable_slots.all()) != set(unavailable):
            profile.unavailable_slots.set(unavailable)
            Profile.objects.filter(pk=profile.pk).update(updated_at=timezone.now())
    return profile


def _entry_values(*, kind: str, title: str, description: str) -> dict:
    if kind not in MarketplaceEntry.Kind.values:
        raise MatchmakingError(_("Choose offer, request or cooperation idea."), field="kind")
    return {
        "kind": kind,
        "title": _one_line(title, field="title", max_length=200, required=True),
        "description": _long_text(description, field="description", max_length=ENTRY_MAX_LENGTH),
    }


def entry_create(
    *, registration: Registration, kind: str, title: str, description: str = ""
) -> MarketplaceEntry:
    """Add an offer, a request or a cooperation idea to the person's profile."""
    values = _entry_values(kind=kind, title=title, description=description)
    with transaction.atomic():
        profile = Profile.objects.filter(registration=registration).first()
        if profile is None:
            profile = profile_update(registration=registration)
        if profile.entries.count() >= MAX_ENTRIES:
            raise MatchmakingError(
                _("A profile holds at most %(count)d entries.") % {"count": MAX_ENTRIES}
            )
        return MarketplaceEntry.objects.create(profile=profile, **values)


def entry_update(
    *, entry: MarketplaceEntry, kind: str, title: str, description: str = ""
) -> MarketplaceEntry:
    values = _entry_values(kind=kind, title=title, description=description)
    changed = [name for name, value in values.items() if getattr(entry, name) != value]
    for name in changed:
        setattr(entry, name, values[name])
    if changed:
        entry.save()
    return entry


def entry_delete(*, entry: MarketplaceEntry) -> None:
    entry.delete()


def profile_validate(*, profile: Profile, validated: bool = True) -> Profile:
    """An organizer validates a profile (shown to others once listed) or takes it back."""
    if (profile.validated_at is not None) == validated:
        return profile
    profile.validated_at = timezone.now() if validated else None
    profile.save(update_fields=["validated_at", "updated_at"])
    return profile
