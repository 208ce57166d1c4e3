"""The agenda in the API. Output serializers are separate from the input ones, which only
validate shapes; the services decide the rules."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.models import Session, SessionSpeaker, Speaker, Track
from events.models import Room
from events.text import LONG_TEXT_MAX_LENGTH, validate_email_domain_name, validate_one_line

MAX_INT = 2_147_483_647  # the largest value of an integer column (capacity)
MAX_SMALLINT = 32_767  # the largest value of a small integer column (position)


class TrackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["slug", "name", "colour", "position", "updated_at"]
        read_only_fields = ["updated_at"]


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "capacity", "position"]


class TrackRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["slug", "name", "colour"]


class RoomRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name"]


class SessionSpeakerSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="speaker.slug")
    name = serializers.CharField(source="speaker.name")
    organization = serializers.SerializerMethodField()

    class Meta:
        model = SessionSpeaker
        fields = ["slug", "name", "organization", "role", "position"]

    def get_organization(self, link: SessionSpeaker) -> str | None:
        organization = link.speaker.organization
        return organization.name if organization else None


class SessionSerializer(serializers.ModelSerializer):
    """A session as everybody sees it: no personal data."""

    url = serializers.SerializerMethodField()
    track = TrackRefSerializer(read_only=True, allow_null=True)
    room = RoomRefSerializer(read_only=True, allow_null=True)
    speakers = SessionSpeakerSerializer(source="speaker_links", many=True, read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "url",
            "title",
            "abstract",
            "kind",
            "status",
            "track",
            "room",
            "starts_at",
            "ends_at",
            "capacity",
            "requires_booking",
            "sequence",
            "external_id",
            "speakers",
            "updated_at",
        ]

    def to_representation(self, session: Session) -> dict:
        """Times with the meeting's UTC offset (09:30+01:00 in Pamplona), the same instant."""
        data = super().to_representation(session)
        meeting = self.context.get("meeting")
        if meeting is not None:
            for name in ("starts_at", "ends_at"):
                value = getattr(session, name)
                data[name] = value.astimezone(meeting.tzinfo).isoformat() if value else None
        return data

    def get_url(self, session: Session) -> str:
        meeting = self.context.get("meeting") or session.meeting
        url = reverse("agenda:session-detail", kwargs={"slug": meeting.slug, "pk": session.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class SessionWriteSerializer(serializers.Serializer):
    """What an organizer may send; ``track`` is a slug and ``room`` an id of the venue's rooms."""

    title = serializers.CharField(max_length=200, validators=[validate_one_line])
    abstract = serializers.CharField(
        max_length=LONG_TEXT_MAX_LENGTH, required=False, allow_blank=True
    )
    kind = serializers.ChoiceField(choices=Session.Kind.choices, required=False)
    status = serializers.ChoiceField(choices=Session.Status.choices, required=False)
    track = serializers.SlugRelatedField(
        slug_field="slug", queryset=Track.objects.none(), required=False, allow_null=True
    )
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.none(), required=False, allow_null=True
    )
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    capacity = serializers.IntegerField(
        min_value=0, max_value=MAX_INT, required=False, allow_null=True
    )
    requires_booking = serializers.BooleanField(required=False)
    external_id = serializers.CharField(
        max_length=100, required=False, allow_blank=True, validators=[validate_one_line]
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["track"].queryset = Track.objects.filter(meeting=meeting)
            self.fields["room"].queryset = Room.objects.filter(venue_id=meeting.venue_id)
            # A time without an offset is read as the meeting's wall-clock time.
            self.fields["starts_at"].timezone = meeting.tzinfo
            self.fields["ends_at"].timezone = meeting.tzinfo


class SpeakerSerializer(serializers.ModelSerializer):
    """A speaker as the public sees them: never the private email."""

    url = serializers.SerializerMethodField()
    organization = serializers.SerializerMethodField()

    class Meta:
        model = Speaker
        fields = ["slug", "url", "name", "job_title", "bio", "organization", "updated_at"]

    def get_url(self, speaker: Speaker) -> str:
        meeting = self.context.get("meeting") or speaker.meeting
        url = reverse(
            "agenda:speaker-detail", kwargs={"slug": meeting.slug, "speaker": speaker.slug}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_organization(self, speaker: Speaker) -> str | None:
        return speaker.organization.name if speaker.organization else None


class SpeakerOrganizerSerializer(SpeakerSerializer):
    """For the meeting's organizers: with the private email and the external id."""

    class Meta(SpeakerSerializer.Meta):
        fields = [*SpeakerSerializer.Meta.fields, "email", "external_id"]


class SpeakerWriteSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=100)
    name = serializers.CharField(max_length=200, validators=[validate_one_line])
    job_title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, validators=[validate_one_line]
    )
    bio = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, required=False, allow_blank=True)
    email = serializers.EmailField(
        required=False, allow_blank=True, validators=[validate_email_domain_name]
    )
    external_id = serializers.CharField(
        max_length=100, required=False, allow_blank=True, validators=[validate_one_line]
    )


class TrackWriteSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=100)
    name = serializers.CharField(max_length=100, validators=[validate_one_line])
    colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False)
    position = serializers.IntegerField(min_value=0, max_value=MAX_SMALLINT, required=False)


class SessionSpeakerWriteSerializer(serializers.Serializer):
    speaker = serializers.SlugRelatedField(slug_field="slug", queryset=Speaker.objects.none())
    role = serializers.ChoiceField(
        choices=SessionSpeaker.Role.choices, default=SessionSpeaker.Role.SPEAKER
    )
    position = serializers.IntegerField(min_value=0, max_value=MAX_SMALLINT, required=False)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["speaker"].queryset = Speaker.objects.filter(meeting=meeting)


class SpeakerOrderSerializer(serializers.Serializer):
    speakers = serializers.ListField(child=serializers.SlugField())
