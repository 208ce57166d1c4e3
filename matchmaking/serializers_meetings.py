"""B2B meetings in the API: matchmaking sessions (slots, tables, free slots) and meeting
requests. Same rules as ``matchmaking.serializers``: no email of anybody, times with the
meeting's UTC offset, shapes only on the way in.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.models import Session
from agenda.serializers import RoomRefSerializer
from events.text import validate_one_line
from matchmaking.models import MESSAGE_MAX_LENGTH, B2BSession, MeetingRequest, Profile, Slot, Table
from matchmaking.serializers import MAX_SMALLINT, MeetingDateTimeField, id_field
from matchmaking.services.requests import REASON_MAX_LENGTH
from matchmaking.services.setup import MAX_TABLES
from registrations.models import Registration

# --- matchmaking sessions ---------------------------------------------------------------


class SlotSerializer(serializers.ModelSerializer):
    starts_at = MeetingDateTimeField(read_only=True)
    ends_at = MeetingDateTimeField(read_only=True)

    class Meta:
        model = Slot
        fields = ["id", "position", "starts_at", "ends_at"]


class TableSerializer(serializers.ModelSerializer):
    room = RoomRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Table
        fields = ["id", "name", "position", "room"]


class B2BSessionSerializer(serializers.ModelSerializer):
    """A matchmaking session: an agenda session (``session``) cut into slots, with tables."""

    session = serializers.IntegerField(source="session_id", read_only=True)
    title = serializers.CharField(source="session.title", read_only=True)
    status = serializers.ChoiceField(
        source="session.status", choices=Session.Status.choices, read_only=True
    )
    starts_at = MeetingDateTimeField(source="session.starts_at", read_only=True, allow_null=True)
    ends_at = MeetingDateTimeField(source="session.ends_at", read_only=True, allow_null=True)
    room = RoomRefSerializer(source="session.room", read_only=True, allow_null=True)
    slots = SlotSerializer(many=True, read_only=True)
    tables = TableSerializer(many=True, read_only=True)

    class Meta:
        model = B2BSession
        fields = [
            "id",
            "session",
            "title",
            "status",
            "starts_at",
            "ends_at",
            "room",
            "slot_minutes",
            "max_meetings_per_person",
            "slots",
            "tables",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": MAX_TABLES},
            {
                "type": "array",
                "items": {"type": "string", "maxLength": 143},
                "minItems": 1,
                "maxItems": MAX_TABLES,
            },
        ],
        "description": (
            "How many tables (numbered 1, 2, …) or their names, in order; a name may end "
            'with the room of the venue its table stands in, after a bar: "Table 3 | Hall B".'
        ),
    }
)
class TablesField(serializers.Field):
    default_error_messages = {
        "invalid": _("Send a number of tables or a list of their names."),
    }

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        if (
            isinstance(data, list)
            and 0 < len(data) <= MAX_TABLES
            and all(isinstance(name, str) and len(name) <= 143 for name in data)
        ):
            for name in data:
                validate_one_line(name)
            return data
        self.fail("invalid")

    def to_representation(self, value):
        return value


class B2BSessionWriteSerializer(serializers.Serializer):
    """Make an agenda session of kind B2B a matchmaking session, or change one."""

    session = id_field(help_text="The agenda session (of kind B2B, with a time).")
    slot_minutes = serializers.IntegerField(min_value=5, max_value=240)
    tables = TablesField()
    max_meetings_per_person = serializers.IntegerField(
        min_value=1, max_value=MAX_SMALLINT, required=False, allow_null=True, default=None
    )


class B2BSessionChangeSerializer(B2BSessionWriteSerializer):
    session = None  # a matchmaking session stays on its agenda session


class SlotChoiceSerializer(serializers.Serializer):
    """A slot where the people asked about are free, and how many tables are free in it."""

    id = serializers.IntegerField(source="slot.pk")
    position = serializers.IntegerField(source="slot.position")
    starts_at = MeetingDateTimeField(source="slot.starts_at")
    ends_at = MeetingDateTimeField(source="slot.ends_at")
    free_tables = serializers.IntegerField()


class SessionSlotChoicesSerializer(serializers.Serializer):
    """Per matchmaking session, the slots where the two people of a request can meet."""

    session = serializers.IntegerField(source="b2b_session.pk")
    title = serializers.CharField(source="b2b_session.session.title")
    slots = SlotChoiceSerializer(many=True)


# --- meeting requests -------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    """One side of a request: name and organisation (never the email)."""

    profile = serializers.SerializerMethodField()
    name = serializers.CharField(source="full_name")
    organization = serializers.SerializerMethodField()

    def _profile(self, registration: Registration) -> Profile | None:
        return getattr(registration, "b2b_profile", None)

    def get_profile(self, registration: Registration) -> int | None:
        profile = self._profile(registration)
        return profile.pk if profile else None

    def get_organization(self, registration: Registration) -> str:
        profile = self._profile(registration)
        return profile.organization_label if profile else registration.organization_display


class SlotRefSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="b2b_session_id", read_only=True)
    title = serializers.CharField(source="b2b_session.session.title", read_only=True)
    starts_at = MeetingDateTimeField(read_only=True)
    ends_at = MeetingDateTimeField(read_only=True)

    class Meta:
        model = Slot
        fields = ["id", "session", "title", "starts_at", "ends_at"]


class ClashSerializer(serializers.ModelSerializer):
    """A booked agenda session that overlaps a scheduled meeting (it moved after)."""

    starts_at = MeetingDateTimeField(read_only=True)
    ends_at = MeetingDateTimeField(read_only=True)

    class Meta:
        model = Session
        fields = ["id", "title", "starts_at", "ends_at"]


class MeetingRequestSerializer(serializers.ModelSerializer):
    """A request, and the meeting it became: where (slot, table) once scheduled. Seen by one
    of its two people, with ``direction`` and ``clashes``; by organizers, those are null."""

    requester = PersonSerializer(read_only=True)
    recipient = PersonSerializer(read_only=True)
    direction = serializers.SerializerMethodField()
    slot = SlotRefSerializer(read_only=True, allow_null=True)
    table = TableSerializer(read_only=True, allow_null=True)
    clashes = serializers.SerializerMethodField()
    cancelled_by = serializers.SerializerMethodField()
    created_at = MeetingDateTimeField(read_only=True)
    responded_at = MeetingDateTimeField(read_only=True, allow_null=True)
    scheduled_at = MeetingDateTimeField(read_only=True, allow_null=True)
    cancelled_at = MeetingDateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = MeetingRequest
        fields = [
            "id",
            "status",
            "requester",
            "recipient",
            "direction",
            "message",
            "preferred_session",
            "slot",
            "table",
            "clashes",
            "decline_reason",
            "cancelled_by",
            "sequence",
            "created_at",
            "responded_at",
            "scheduled_at",
            "cancelled_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(
            choices=["sent", "received"],
            allow_null=True,
            help_text="Seen by one of the two people: whether they sent or received it.",
        )
    )
    def get_direction(self, request: MeetingRequest) -> str | None:
        registration = self.context.get("registration")
        if registration is None:
            return None
        return "sent" if request.requester_id == registration.pk else "received"

    @extend_schema_field(
        ClashSerializer(
            many=True,
            allow_null=True,
            help_text="Seen by one of the two people: their booked agenda sessions that "
            "overlap the scheduled meeting (a session moved after it was set).",
        )
    )
    def get_clashes(self, request: MeetingRequest) -> list | None:
        if self.context.get("registration") is None:
            return None
        sessions = self.context.get("clashes", {}).get(request.pk, [])
        return ClashSerializer(sessions, many=True, context=self.context).data

    @extend_schema_field(
        serializers.ChoiceField(
            choices=["requester", "recipient", "organizers"],
            allow_null=True,
            help_text="Who cancelled (organizers: an organizer, or the meeting's agenda).",
        )
    )
    def get_cancelled_by(self, request: MeetingRequest) -> str | None:
        if request.status != MeetingRequest.Status.CANCELLED:
            return None
        if request.cancelled_by_id is None:
            return "organizers"
        return "requester" if request.cancelled_by_id == request.requester_id else "recipient"


class RequestCreateSerializer(serializers.Serializer):
    recipient = id_field(help_text="The profile id of the person asked (from participants/).")
    message = serializers.CharField(
        max_length=MESSAGE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    preferred_session = id_field(
        required=False, allow_null=True, default=None, help_text="A matchmaking session id."
    )
    slot = id_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="Only when requests are accepted automatically and participants schedule: "
        "the slot to meet in (required then).",
    )


class RequestAcceptSerializer(serializers.Serializer):
    slot = id_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="The slot to meet in: required when participants schedule, refused when "
        "the organizers do.",
    )


class RequestDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class RequestScheduleSerializer(serializers.Serializer):
    slot = id_field()
    table = id_field(
        required=False, allow_null=True, default=None, help_text="Empty: the first free table."
    )
