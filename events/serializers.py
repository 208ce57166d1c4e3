from rest_framework import serializers

from events.models import Meeting, Organization, Room, Venue
from events.regions import Region


class OrganizationSerializer(serializers.ModelSerializer):
    # Declared so the schema says what comes out: a code, or "" for none.
    region = serializers.ChoiceField(choices=Region.choices, allow_blank=True, read_only=True)
    region_name = serializers.CharField(source="get_region_display", read_only=True)

    class Meta:
        model = Organization
        fields = ["name", "short_name", "kind", "region", "region_name", "website"]


class VenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ["name", "address", "city", "country", "website"]


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "capacity", "position"]


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting as the API shows it; organizers may PATCH the writable fields."""

    url = serializers.HyperlinkedIdentityField(
        view_name="api-meeting-detail", lookup_field="slug", read_only=True
    )
    venue = VenueSerializer(read_only=True)
    registration_open = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "url",
            "slug",
            "title",
            "description",
            "starts_on",
            "ends_on",
            "timezone",
            "language",
            "status",
            "venue",
            "registration_opens_at",
            "registration_closes_at",
            "registration_open",
            "capacity",
            "requires_approval",
            "contact_email",
            "updated_at",
        ]
        read_only_fields = ["slug", "venue", "updated_at"]

    def get_registration_open(self, meeting: Meeting) -> bool:
        return meeting.registration_is_open()


class MeetingDetailSerializer(MeetingSerializer):
    organizations = OrganizationSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "organizations"]
