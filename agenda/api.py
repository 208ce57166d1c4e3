"""The agenda in the API: public reads of published items, writes by the meeting's organizers.

Same style as events/api.py: GenericViewSet + mixins, an input serializer
validates shapes, a service does the write; core.api's exception handler makes
its AgendaError a 400 naming the conflict and AgendaBusy (the meeting is locked
by another writer) a 503 with Retry-After.
"""

from functools import cached_property

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from agenda import selectors, services
from agenda.filters import SessionFilterSet, last_values
from agenda.models import Session, Speaker
from agenda.serializers import (
    RoomSerializer,
    SessionSerializer,
    SessionSpeakerWriteSerializer,
    SessionWriteSerializer,
    SpeakerOrderSerializer,
    SpeakerOrganizerSerializer,
    SpeakerSerializer,
    SpeakerWriteSerializer,
    TrackSerializer,
    TrackWriteSerializer,
)
from events.permissions import IsMeetingOrganizerOrReadOnly
from events.selectors import is_organizer, meeting_get_visible


class AgendaPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class MeetingScopedViewSet(viewsets.GenericViewSet):
    """A resource under /meetings/<slug>/: the meeting (404 for drafts unless organizer)."""

    permission_classes = [IsMeetingOrganizerOrReadOnly]
    lookup_value_converter = "int"  # the router's <int:pk>
    pagination_class = AgendaPagination
    filter_backends: list = []

    @cached_property
    def meeting(self):
        return meeting_get_visible(slug=self.kwargs["slug"], user=self.request.user)

    def get_meeting(self):
        return self.meeting

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return context
        return {**context, "meeting": self.meeting}

    @cached_property
    def is_organizer(self) -> bool:
        return is_organizer(self.request.user, self.meeting)


FILTER_PARAMETERS = [
    OpenApiParameter("day", OpenApiTypes.DATE, description="A meeting day (meeting time zone)"),
    OpenApiParameter("track", OpenApiTypes.STR, description="Track slug"),
    OpenApiParameter("room", OpenApiTypes.INT, description="Room id"),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Session.Kind.values),
]


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    MeetingScopedViewSet,
):
    """Sessions of a meeting. The public sees confirmed and cancelled ones; organizers all."""

    serializer_class = SessionSerializer
    queryset = Session.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        select = selectors.session_list if self.is_organizer else selectors.session_list_public
        sessions = select(meeting=self.meeting)
        if self.action != "list":
            return sessions
        # One value per filter (the schema's); a value of the wrong shape is a 400.
        filterset = SessionFilterSet(
            last_values(self.request.query_params), sessions, meeting=self.meeting
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs

    def _output(self, session: Session, code=status.HTTP_200_OK) -> Response:
        session = selectors.session_list(meeting=self.meeting).get(pk=session.pk)
        return Response(self.get_serializer(session).data, status=code)

    @extend_schema(request=SessionWriteSerializer, responses={201: SessionSerializer})
    def create(self, request, *args, **kwargs):
        data = self._validated(partial=False)
        session = services.session_create(meeting=self.meeting, **data)
        return self._output(session, status.HTTP_201_CREATED)

    @extend_schema(request=SessionWriteSerializer, responses=SessionSerializer)
    def update(self, request, *args, **kwargs):
        session = self.get_object()
        data = self._validated(partial=kwargs.get("partial", False))
        session = services.session_update(session=session, data=data)
        return self._output(session)

    def destroy(self, request, *args, **kwargs):
        services.session_delete(session=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        return self._output(services.session_cancel(session=self.get_object()))

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, *args, **kwargs):
        return self._output(services.session_restore(session=self.get_object()))

    @extend_schema(request=SessionSpeakerWriteSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"], url_path="speakers", url_name="speakers")
    def add_speaker(self, request, *args, **kwargs):
        session = self.get_object()
        serializer = SessionSpeakerWriteSerializer(data=request.data, meeting=self.meeting)
        serializer.is_valid(raise_exception=True)
        services.session_speaker_add(session=session, **serializer.validated_data)
        return self._output(session, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path="speakers/<slug:speaker>", url_name="speaker")
    def remove_speaker(self, request, *args, speaker=None, **kwargs):
        session = self.get_object()
        person = get_object_or_404(Speaker, meeting=self.meeting, slug=speaker)
        services.session_speaker_remove(session=session, speaker=person)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=SpeakerOrderSerializer, responses=SessionSerializer)
    # Named to sort before remove_speaker: the router adds actions in name order,
    # and speakers/order/ must be tried before speakers/<slug:speaker>/ matches it.
    @action(detail=True, methods=["post"], url_path="speakers/order", url_name="speakers-order")
    def order_speakers(self, request, *args, **kwargs):
        session = self.get_object()
        serializer = SpeakerOrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        slugs = serializer.validated_data["speakers"]
        by_slug = {s.slug: s for s in Speaker.objects.filter(meeting=self.meeting, slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in by_slug]
        if unknown:
            raise services.AgendaError(f"Unknown speakers: {', '.join(unknown)}.")
        speakers = [by_slug[slug] for slug in slugs]
        services.session_speakers_reorder(session=session, speakers=speakers)
        return self._output(session)

    def _validated(self, *, partial: bool) -> dict:
        serializer = SessionWriteSerializer(
            data=self.request.data, partial=partial, meeting=self.meeting
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class SpeakerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    MeetingScopedViewSet,
):
    """Speakers; the public sees those in a published session, without their email."""

    lookup_field = "slug"
    lookup_url_kwarg = "speaker"
    lookup_value_converter = "slug"
    queryset = Speaker.objects.none()

    def get_queryset(self):
        if self.is_organizer:
            return selectors.speaker_list(meeting=self.meeting)
        return selectors.speaker_list_public(meeting=self.meeting)

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            return SpeakerSerializer
        return SpeakerOrganizerSerializer if self.is_organizer else SpeakerSerializer

    @extend_schema(request=SpeakerWriteSerializer, responses={201: SpeakerOrganizerSerializer})
    def create(self, request, *args, **kwargs):
        serializer = SpeakerWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        speaker = services.speaker_create(meeting=self.meeting, **serializer.validated_data)
        return Response(self.get_serializer(speaker).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SpeakerWriteSerializer, responses=SpeakerOrganizerSerializer)
    def update(self, request, *args, **kwargs):
        speaker = self.get_object()
        serializer = SpeakerWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        speaker = services.speaker_update(speaker=speaker, data=dict(serializer.validated_data))
        return Response(self.get_serializer(speaker).data)


class TrackViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    MeetingScopedViewSet,
):
    lookup_field = "slug"
    lookup_url_kwarg = "track"
    lookup_value_converter = "slug"
    serializer_class = TrackSerializer
    queryset = Session.objects.none()

    def get_queryset(self):
        return selectors.track_list(meeting=self.meeting)

    @extend_schema(request=TrackWriteSerializer, responses={201: TrackSerializer})
    def create(self, request, *args, **kwargs):
        serializer = TrackWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        track = services.track_create(meeting=self.meeting, **serializer.validated_data)
        return Response(self.get_serializer(track).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TrackWriteSerializer, responses=TrackSerializer)
    def update(self, request, *args, **kwargs):
        track = self.get_object()
        serializer = TrackWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        track = services.track_update(track=track, data=dict(serializer.validated_data))
        return Response(self.get_serializer(track).data)


class RoomViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MeetingScopedViewSet):
    """The rooms of the meeting's venue. Read-only: rooms belong to the venue, which other
    meetings share, so they are edited in the admin."""

    serializer_class = RoomSerializer
    queryset = Session.objects.none()

    def get_queryset(self):
        return selectors.room_list(meeting=self.meeting)
