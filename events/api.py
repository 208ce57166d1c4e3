"""Meetings in the API: public read of published meetings, updates by their organizers.

The API style for every app: GenericViewSet + the mixins a resource needs;
input is validated by a serializer, the write goes through a service, and the
service's domain error becomes a 400 with a readable message (core.api's one
exception handler).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from events.models import Meeting
from events.permissions import IsMeetingOrganizerOrReadOnly
from events.serializers import MeetingDetailSerializer, MeetingSerializer
from events.services import meeting_update


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=[*Meeting.Status.values, ""],
                description="Only meetings with this status; empty for any.",
            )
        ]
    )
)
class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    lookup_field = "slug"
    lookup_value_converter = "slug"
    permission_classes = [IsMeetingOrganizerOrReadOnly]
    filterset_fields = ["status"]

    def get_queryset(self):
        queryset = Meeting.objects.visible_to(self.request.user).select_related("venue")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("organizations")
        return queryset.order_by("-starts_on", "title")

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def update(self, request, *args, **kwargs):
        meeting = self.get_object()
        serializer = MeetingSerializer(
            meeting,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        meeting = meeting_update(meeting=meeting, data=serializer.validated_data)
        return Response(MeetingSerializer(meeting, context=self.get_serializer_context()).data)
