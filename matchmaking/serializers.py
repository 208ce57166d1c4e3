"""B2B meetings in the API: people (profiles, marketplace entries), sectors, settings; the
shared fields. Output serializers name people by name and organisation only (the one
email that ever goes out is the authenticated person's own, in ``MyProfile``); input
serializers check shapes and hand plain values to the services, which decide the rules.
Matchmaking sessions and meeting requests are in ``serializers_meetings``.

Times go out with the meeting's UTC offset (15:00+01:00 in Pamplona), as in the
agenda API; a time sent without an offset is the meeting's wall-clock time.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Organization
from events.regions import Region
from events.text import validate_one_line
from matchmaking.models import (
    ENTRY_MAX_LENGTH,
    PITCH_MAX_LENGTH,
    Language,
    MarketplaceEntry,
    Matchmaking,
    Profile,
    Sector,
)
from matchmaking.services.setup import MAX_SLOTS
from registrations.models import Registration
from registrations.serializers import MAX_ID, RegionField

MAX_SMALLINT = 32_767


def id_field(**kwargs) -> serializers.IntegerField:
    """An id: a positive integer that fits the column (a bigger one is a 400, not a 500)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class MeetingDateTimeField(serializers.DateTimeField):
    """Out with the meeting's UTC offset; in, a time without an offset is the meeting's,
    and a year of this millennium (a time zone's offsets before 1900 are in seconds,
    which RFC 3339 cannot write)."""

    default_error_messages = {"year": _("Enter a date between the years 2000 and 2999.")}

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        if not 2000 <= value.year <= 2999:
            self.fail("year")
        return value

    def enforce_timezone(self, value):
        meeting = self.context.get("meeting")
        if meeting is None:
            return super().enforce_timezone(value)
        if timezone.is_naive(value):
            return timezone.make_aware(value, meeting.tzinfo)
        return value.astimezone(meeting.tzinfo)


# --- references -------------------------------------------------------------------------


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "name", "position"]


class SectorWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, validators=[validate_one_line])


class EntrySerializer(serializers.ModelSerializer):
    """An offer, a request or a cooperation idea on a profile."""

    updated_at = MeetingDateTimeField(read_only=True)

    class Meta:
        model = MarketplaceEntry
        fields = ["id", "kind", "title", "description", "updated_at"]


class EntryWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MarketplaceEntry.Kind.choices)
    title = serializers.CharField(max_length=200, validators=[validate_one_line])
    description = serializers.CharField(
        max_length=ENTRY_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


# --- profiles ---------------------------------------------------------------------------


class ProfileSerializer(serializers.ModelSerializer):
    """A profile as the other participants see it: no email, ever."""

    first_name = serializers.CharField(source="registration.first_name", read_only=True)
    last_name = serializers.CharField(source="registration.last_name", read_only=True)
    name = serializers.CharField(source="registration.full_name", read_only=True)
    organization = serializers.CharField(source="organization_label", read_only=True)
    organization_id = serializers.IntegerField(read_only=True, allow_null=True)
    organization_kind = serializers.SerializerMethodField()
    region = serializers.ChoiceField(choices=Region.choices, allow_blank=True, read_only=True)
    region_name = serializers.CharField(source="get_region_display", read_only=True)
    website = serializers.CharField(read_only=True, help_text="A web address, or empty.")
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), read_only=True
    )
    sectors = serializers.SerializerMethodField()
    entries = serializers.SerializerMethodField()

    class Meta:
        model = Profile
        fields = [
            "id",
            "first_name",
            "last_name",
            "name",
            "organization",
            "organization_id",
            "organization_kind",
            "role",
            "pitch",
            "sectors",
            "region",
            "region_name",
            "website",
            "languages",
            "entries",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(choices=Organization.Kind.choices, allow_null=True)
    )
    def get_organization_kind(self, profile: Profile) -> str | None:
        return profile.organization.kind if profile.organization_id else None

    # A profile not saved yet (GET of one's own before the first PUT) has no relations.
    @extend_schema_field(SectorSerializer(many=True))
    def get_sectors(self, profile: Profile) -> list:
        sectors = profile.sectors.all() if profile.pk else []
        return SectorSerializer(sectors, many=True).data

    @extend_schema_field(EntrySerializer(many=True))
    def get_entries(self, profile: Profile) -> list:
        entries = profile.entries.all() if profile.pk else []
        return EntrySerializer(entries, many=True, context=self.context).data


class MyProfileSerializer(ProfileSerializer):
    """The authenticated person's own profile: the only place their email appears."""

    email = serializers.EmailField(source="registration.email", read_only=True)
    registration_status = serializers.ChoiceField(
        source="registration.status", choices=Registration.Status.choices, read_only=True
    )
    validated = serializers.SerializerMethodField()
    visible = serializers.SerializerMethodField(
        help_text="Whether the other participants see this profile now: listed, a confirmed "
        "registration and, when the organizers validate profiles, validated."
    )
    unavailable_slots = serializers.SerializerMethodField()

    class Meta(ProfileSerializer.Meta):
        fields = [
            *ProfileSerializer.Meta.fields,
            "email",
            "registration_status",
            "listed",
            "validated",
            "visible",
            "unavailable_slots",
        ]
        read_only_fields = fields

    def get_validated(self, profile: Profile) -> bool:
        return profile.validated_at is not None

    def get_visible(self, profile: Profile) -> bool:
        return bool(self.context.get("visible"))

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_unavailable_slots(self, profile: Profile) -> list[int]:
        if not profile.pk:
            return []
        return sorted(slot.pk for slot in profile.unavailable_slots.all())


class ProfileRefSerializer(serializers.ModelSerializer):
    """Whose it is: a name and an organisation (the profile's id opens it)."""

    name = serializers.CharField(source="registration.full_name", read_only=True)
    organization = serializers.CharField(source="organization_label", read_only=True)

    class Meta:
        model = Profile
        fields = ["id", "name", "organization"]


class MarketplaceEntryCardSerializer(serializers.ModelSerializer):
    """An entry of the marketplace, with whose it is."""

    profile = ProfileRefSerializer(read_only=True)
    created_at = MeetingDateTimeField(read_only=True)

    class Meta:
        model = MarketplaceEntry
        fields = ["id", "kind", "title", "description", "created_at", "profile"]


class ProfileOrganizerSerializer(ProfileSerializer):
    """A profile as the meeting's organizers see it: listed or not, validated or not."""

    registration = serializers.IntegerField(source="registration_id", read_only=True)
    registration_status = serializers.ChoiceField(
        source="registration.status", choices=Registration.Status.choices, read_only=True
    )
    visible = serializers.BooleanField(read_only=True)

    class Meta(ProfileSerializer.Meta):
        fields = [
            *ProfileSerializer.Meta.fields,
            "registration",
            "registration_status",
            "listed",
            "validated_at",
            "visible",
        ]
        read_only_fields = fields


class ProfileWriteSerializer(serializers.Serializer):
    """One's own profile. PUT replaces it (a field left out takes its default); PATCH
    changes the fields sent."""

    organization = id_field(required=False, allow_null=True, default=None)
    role = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=[validate_one_line]
    )
    pitch = serializers.CharField(
        max_length=PITCH_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    sectors = serializers.ListField(
        child=id_field(), required=False, default=list, max_length=100, help_text="Sector ids."
    )
    region = RegionField(required=False, allow_blank=True, default="")
    website = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices),
        required=False,
        default=list,
        max_length=len(Language.choices),
    )
    listed = serializers.BooleanField(required=False, default=False)
    unavailable_slots = serializers.ListField(
        child=id_field(),
        required=False,
        default=list,
        max_length=10 * MAX_SLOTS,
        help_text="Ids of slots you cannot meet in.",
    )


# --- settings ---------------------------------------------------------------------------


class MatchmakingSerializer(serializers.ModelSerializer):
    """A meeting's B2B settings."""

    opens_at = MeetingDateTimeField(required=False, allow_null=True)
    closes_at = MeetingDateTimeField(required=False, allow_null=True)

    class Meta:
        model = Matchmaking
        fields = [
            "enabled",
            "request_mode",
            "scheduling_mode",
            "profiles_need_validation",
            "opens_at",
            "closes_at",
        ]
