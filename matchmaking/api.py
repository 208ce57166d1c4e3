"""B2B meetings in the API, participants' side: one's profile and marketplace entries, the
directory and the marketplace, meeting requests (which organizers see and act on too).

Same style as the other apps: a serializer checks the shape, a service does the
write, the service's ``MatchmakingError`` becomes a 400 naming the field (or a
503 when the people's rows stay locked) in core.api's exception handler. Who may
call what is in ``matchmaking.api_auth``; the organizers' setup is in
``matchmaking.api_setup``.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from events.models import Organization
from events.permissions import IsMeetingOrganizer
from matchmaking import availability, selectors
from matchmaking.api_auth import (
    B2BViewSet,
    CanSeeDirectory,
    IsParticipant,
    IsParticipantOrOrganizer,
    single_query_values,
)
from matchmaking.models import B2BSession, MarketplaceEntry, MeetingRequest, Profile
from matchmaking.serializers import (
    EntrySerializer,
    EntryWriteSerializer,
    MarketplaceEntryCardSerializer,
    MyProfileSerializer,
    ProfileSerializer,
    ProfileWriteSerializer,
    id_field,
)
from matchmaking.serializers_meetings import (
    MeetingRequestSerializer,
    RequestAcceptSerializer,
    RequestCreateSerializer,
    RequestDeclineSerializer,
    RequestScheduleSerializer,
    SessionSlotChoicesSerializer,
)
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.profiles import (
    entry_create,
    entry_delete,
    entry_update,
    profile_for,
    profile_update,
)
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_decline,
    request_schedule,
)
from registrations.serializers import RegionField


def _validated(serializer_class, data, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- one's own profile ------------------------------------------------------------------


class MyProfileViewSet(B2BViewSet):
    """``profile/``: the authenticated participant's own profile (the only answer with an
    email in it: theirs). Before the first PUT or PATCH it shows what the registration
    already says, unsaved."""

    permission_classes = [IsParticipant]
    serializer_class = MyProfileSerializer

    def _output(self, profile: Profile) -> Response:
        if profile.pk:
            profile = (
                Profile.objects.select_related("registration", "organization")
                .prefetch_related("sectors", "entries", "unavailable_slots")
                .get(pk=profile.pk)
            )
        visible = bool(profile.pk) and selectors.profile_is_visible(profile)
        context = {**self.get_serializer_context(), "visible": visible}
        return Response(MyProfileSerializer(profile, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        return self._output(profile_for(registration=self.participant))

    @extend_schema(request=ProfileWriteSerializer, responses=MyProfileSerializer)
    def update(self, request, *args, **kwargs):
        data = _validated(ProfileWriteSerializer, request.data, partial=kwargs.get("partial"))
        return self._output(profile_update(registration=self.participant, **data))

    @extend_schema(request=ProfileWriteSerializer, responses=MyProfileSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class EntryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    B2BViewSet,
):
    """``profile/entries/``: one's own offers, requests and cooperation ideas."""

    permission_classes = [IsParticipant]
    serializer_class = EntrySerializer
    queryset = MarketplaceEntry.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return MarketplaceEntry.objects.filter(profile__registration=self.participant).order_by(
            "created_at", "pk"
        )

    @extend_schema(request=EntryWriteSerializer, responses={201: EntrySerializer})
    def create(self, request, *args, **kwargs):
        data = _validated(EntryWriteSerializer, request.data)
        entry = entry_create(registration=self.participant, **data)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EntryWriteSerializer, responses=EntrySerializer)
    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        data = _validated(EntryWriteSerializer, request.data, partial=kwargs.get("partial"))
        values = {"kind": entry.kind, "title": entry.title, "description": entry.description}
        entry = entry_update(entry=entry, **{**values, **data})
        return Response(self.get_serializer(entry).data)

    @extend_schema(request=EntryWriteSerializer, responses=EntrySerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, instance):
        entry_delete(entry=instance)


# --- the directory and the marketplace --------------------------------------------------


class DirectoryFilterSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    region = RegionField(required=False, allow_blank=True, default="")
    sector = id_field(required=False, default=None)  # "null" and "" are 400s
    organization_kind = serializers.ChoiceField(
        choices=Organization.Kind.choices, required=False, allow_blank=True, default=""
    )
    entry_kind = serializers.ChoiceField(
        choices=MarketplaceEntry.Kind.choices, required=False, allow_blank=True, default=""
    )


DIRECTORY_PARAMETERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description="Words, all found in the name, organisation, role, pitch or marketplace.",
    ),
    OpenApiParameter("region", OpenApiTypes.STR, description="A region code (RegionEnum)."),
    OpenApiParameter("sector", OpenApiTypes.INT, description="A sector id (sectors/)."),
    OpenApiParameter("organization_kind", OpenApiTypes.STR, enum=[*Organization.Kind.values, ""]),
    OpenApiParameter("entry_kind", OpenApiTypes.STR, enum=[*MarketplaceEntry.Kind.values, ""]),
]


def directory_filters(query_params) -> selectors.DirectoryFilters:
    names = list(DirectoryFilterSerializer().fields)
    data = _validated(DirectoryFilterSerializer, single_query_values(query_params, names))
    return selectors.DirectoryFilters(**data)


@extend_schema_view(list=extend_schema(parameters=DIRECTORY_PARAMETERS))
class ParticipantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, B2BViewSet):
    """``participants/``: the listed profiles others may see (never an email), for the
    meeting's confirmed participants and its organizers."""

    permission_classes = [CanSeeDirectory]
    serializer_class = ProfileSerializer
    queryset = Profile.objects.none()

    def get_queryset(self):
        if self.action == "list":
            filters = directory_filters(self.request.query_params)
            return selectors.directory_search(
                meeting=self.meeting, filters=filters, exclude=self.participant
            )
        return (
            selectors.profiles_visible(meeting=self.meeting)
            .select_related("registration", "organization")
            .prefetch_related("sectors", "entries")
        )


@extend_schema_view(list=extend_schema(parameters=DIRECTORY_PARAMETERS))
class MarketplaceViewSet(mixins.ListModelMixin, B2BViewSet):
    """``marketplace/``: the entries of the visible profiles, newest first."""

    permission_classes = [CanSeeDirectory]
    serializer_class = MarketplaceEntryCardSerializer
    queryset = MarketplaceEntry.objects.none()

    def get_queryset(self):
        filters = directory_filters(self.request.query_params)
        return selectors.marketplace_search(meeting=self.meeting, filters=filters)


# --- meeting requests -------------------------------------------------------------------


STATUS_PARAMETER = OpenApiParameter(
    "status", OpenApiTypes.STR, enum=[*MeetingRequest.Status.values, ""]
)


class StatusFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=MeetingRequest.Status.choices, required=False, allow_blank=True, default=""
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[STATUS_PARAMETER],
        description="A participant's own requests, sent and received (``direction``); for "
        "organizers every request of the meeting (``direction`` and ``clashes`` null).",
    ),
)
class MeetingRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, B2BViewSet):
    """``requests/``: a participant's requests in and out, or all of them for organizers."""

    serializer_class = MeetingRequestSerializer
    queryset = MeetingRequest.objects.none()

    def get_permissions(self):
        if self.action in ("create", "accept", "decline"):
            return [IsParticipant()]
        if self.action == "schedule":
            return [IsMeetingOrganizer()]
        return [IsParticipantOrOrganizer()]

    def get_queryset(self):
        if self.participant is not None:
            requests = selectors.requests_of_person(registration=self.participant)
        else:
            requests = selectors.requests_of_meeting(meeting=self.meeting)
        if self.action == "list":
            query = single_query_values(self.request.query_params, ["status"])
            wanted = _validated(StatusFilterSerializer, query)
            if wanted["status"]:
                requests = requests.filter(status=wanted["status"])
        return requests

    def get_serializer(self, *args, **kwargs):
        # What clashes with the scheduled meetings shown (a participant's only), in one read.
        if self.participant is not None and args:
            shown = args[0] if kwargs.get("many") else [args[0]]
            scheduled = [r for r in shown if r.status == MeetingRequest.Status.SCHEDULED]
            kwargs["context"] = {
                **self.get_serializer_context(),
                "clashes": availability.clashes(registration=self.participant, scheduled=scheduled),
            }
            return self.get_serializer_class()(*args, **kwargs)
        return super().get_serializer(*args, **kwargs)

    def _output(self, request: MeetingRequest, code=status.HTTP_200_OK) -> Response:
        request = self.get_queryset().get(pk=request.pk)
        return Response(self.get_serializer(request).data, status=code)

    @extend_schema(request=RequestCreateSerializer, responses={201: MeetingRequestSerializer})
    def create(self, request, *args, **kwargs):
        """Ask the person of a profile (``recipient``, from ``participants/``) for a meeting."""
        data = _validated(RequestCreateSerializer, request.data)
        recipient = selectors.profile_get_visible(meeting=self.meeting, pk=data["recipient"])
        if recipient is None:
            raise MatchmakingError(
                _("This person is not available for meetings."), field="recipient"
            )
        preferred = None
        if data["preferred_session"] is not None:
            preferred = B2BSession.objects.filter(
                meeting=self.meeting, pk=data["preferred_session"]
            ).first()
            if preferred is None:
                raise MatchmakingError(
                    _("Choose one of this meeting's sessions."), field="preferred_session"
                )
        meeting_request = request_create(
            requester=self.participant,
            recipient=recipient.registration,
            message=data["message"],
            preferred_session=preferred,
            slot_id=data["slot"],
        )
        return self._output(meeting_request, status.HTTP_201_CREATED)

    @extend_schema(request=RequestAcceptSerializer, responses=MeetingRequestSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        """The person asked accepts, at a slot where both are free (``free-slots/``)."""
        data = _validated(RequestAcceptSerializer, request.data)
        meeting_request = request_accept(
            request=self.get_object(), by=self.participant, slot_id=data["slot"]
        )
        return self._output(meeting_request)

    @extend_schema(request=RequestDeclineSerializer, responses=MeetingRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        data = _validated(RequestDeclineSerializer, request.data)
        meeting_request = request_decline(
            request=self.get_object(), by=self.participant, reason=data["reason"]
        )
        return self._output(meeting_request)

    @extend_schema(request=None, responses=MeetingRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        """Either person, or an organizer, cancels a request or a meeting (not started)."""
        meeting_request = request_cancel(request=self.get_object(), by=self.participant)
        return self._output(meeting_request)

    @extend_schema(request=RequestScheduleSerializer, responses=MeetingRequestSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, *args, **kwargs):
        """An organizer places an accepted meeting (or moves a scheduled one)."""
        data = _validated(RequestScheduleSerializer, request.data)
        meeting_request = request_schedule(
            request=self.get_object(), slot_id=data["slot"], table_id=data["table"]
        )
        return self._output(meeting_request)

    @extend_schema(request=None, responses=SessionSlotChoicesSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="free-slots", url_name="free-slots")
    def free_slots(self, request, *args, **kwargs):
        """Per matchmaking session, the slots where both people are free and a table is (for
        a scheduled meeting: where it could move)."""
        meeting_request = self.get_object()
        if not meeting_request.is_open:
            raise MatchmakingError(_("This request is closed."))
        people = [meeting_request.requester, meeting_request.recipient]
        # A scheduled meeting may move: its own place does not block the others.
        moving = (
            meeting_request if meeting_request.status == MeetingRequest.Status.SCHEDULED else None
        )
        choices = availability.free_slots_for_pair(
            meeting=self.meeting, people=people, moving=moving
        )
        rows = [{"b2b_session": session, "slots": slots} for session, slots in choices]
        return Response(
            SessionSlotChoicesSerializer(
                rows, many=True, context=self.get_serializer_context()
            ).data
        )
