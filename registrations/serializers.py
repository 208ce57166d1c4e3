from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.models import Meeting
from events.regions import Region, region_match
from events.text import validate_email_domain_name, validate_one_line
from registrations.models import Registration, SessionBooking

MAX_ID = 2_147_483_647  # the largest id an integer primary key column holds


class RegionField(serializers.ChoiceField):
    """A region code; a name the matcher knows ("Navarra", "euskadi") is taken as its code.

    Clients written when region was free text keep working when they sent a real
    region's name; anything else is refused rather than stored as noise.
    """

    default_error_messages = {
        "invalid_choice": _(
            "“{input}” is not a region we know. Send one of the codes of the "
            "region enum in the API schema (/api/schema/, listed in docs/api.md), "
            "e.g. “ES-NC”, or a region's name such as “Navarra”; "
            "send an empty string for none."
        )
    }

    def __init__(self, **kwargs):
        super().__init__(choices=Region.choices, **kwargs)

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        code = region_match(data) if isinstance(data, str) else None
        if code is None:
            self.fail("invalid_choice", input=str(data)[:100])
        return code


class RegistrationCreateSerializer(serializers.Serializer):
    """The public registration body; the service checks the rest (sessions, window, capacity).

    The API's whitelist: its validated data are registration_create's keyword arguments.
    """

    first_name = serializers.CharField(max_length=100, validators=[validate_one_line])
    last_name = serializers.CharField(max_length=100, validators=[validate_one_line])
    email = serializers.EmailField(max_length=254, validators=[validate_email_domain_name])
    organization = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_one_line],
        help_text="One of the meeting's organisations (name or short name, any case), "
        "or a new name.",
    )
    job_title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_one_line],
    )
    region = RegionField(
        required=False,
        allow_blank=True,
        default="",
        help_text="A region code (ISO 3166-2:ES, or `other` for another country); a region's "
        "name (`Navarra`, `Euskadi`, `Comunidad Valenciana`; any case or accents) is accepted "
        "and stored as its code.",
    )
    sessions = serializers.ListField(
        source="session_ids",  # registration_create's name for it
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=100,
        help_text="Ids of confirmed sessions of this meeting that do not overlap.",
    )
    consent_processing = serializers.BooleanField(
        help_text="Consent to the processing of personal data: must be true."
    )
    consent_listing = serializers.BooleanField(required=False, default=False)
    language = serializers.ChoiceField(
        choices=Meeting.Language.choices, required=False, allow_blank=True, default=""
    )

    def validate_consent_processing(self, value: bool) -> bool:
        if value is not True:
            raise serializers.ValidationError(
                _("We need your consent to process your data to register you.")
            )
        return value


class RegistrationAcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class BookingSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="session.title", read_only=True)

    class Meta:
        model = SessionBooking
        fields = ["session", "title", "status", "waitlisted_at"]


class RegistrationSerializer(serializers.ModelSerializer):
    """A registration as its meeting's organizers see it."""

    organization = serializers.CharField(source="organization_display", read_only=True)
    organization_id = serializers.IntegerField(read_only=True, allow_null=True)
    # Declared so the schema says what comes out: a code, or "" for none.
    region = serializers.ChoiceField(choices=Region.choices, allow_blank=True, read_only=True)
    region_name = serializers.CharField(source="get_region_display", read_only=True)
    # "" when the person chose none (emails then go in the meeting's language).
    language = serializers.ChoiceField(
        choices=Meeting.Language.choices, allow_blank=True, read_only=True
    )
    bookings = BookingSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "organization",
            "organization_id",
            "job_title",
            "region",
            "region_name",
            "language",
            "status",
            "waitlisted_at",
            "consent_processing_at",
            "consent_text_version",
            "consent_listing",
            "checked_in_at",
            "cancelled_at",
            "created_at",
            "bookings",
        ]
        read_only_fields = fields


class RegistrationStatsSerializer(serializers.Serializer):
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_organization = serializers.ListField(child=serializers.DictField())
    by_region = serializers.ListField(child=serializers.DictField())
    by_session = serializers.ListField(child=serializers.DictField())
