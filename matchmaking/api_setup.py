"""B2B meetings in the API, organizers' side: settings, sectors, matchmaking sessions (slots
and tables), the profiles to validate. Participants read the settings, the sectors and
the sessions (they need their ids), and ask a session for the slots where they and
another person are free.

Same style as ``matchmaking.api``: shapes in serializers, rules in the services.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from agenda.models import Session
from events.permissions import IsMeetingOrganizer
from matchmaking import availability, selectors
from matchmaking.api_auth import (
    B2BViewSet,
    CanSeeDirectory,
    IsParticipantOrOrganizer,
    OrganizerViewSet,
    single_query_values,
)
from matchmaking.models import B2BSession, Profile, Sector
from matchmaking.serializers import (
    MatchmakingSerializer,
    ProfileOrganizerSerializer,
    SectorSerializer,
    SectorWriteSerializer,
)
from matchmaking.serializers_meetings import (
    B2BSessionChangeSerializer,
    B2BSessionSerializer,
    B2BSessionWriteSerializer,
    SlotChoiceSerializer,
)
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.profiles import profile_validate
from matchmaking.services.setup import (
    b2b_session_configure,
    b2b_session_remove,
    matchmaking_update,
    sector_create,
    sector_delete,
    sector_update,
)
from registrations.serializers import MAX_ID


def _validated(serializer_class, data, *, partial: bool = False, context=None) -> dict:
    serializer = serializer_class(data=data, partial=partial, context=context or {})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _read_participants_write_organizers(view) -> list:
    if view.action in ("list", "retrieve"):
        return [IsParticipantOrOrganizer()]
    return [IsMeetingOrganizer()]


class SettingsViewSet(B2BViewSet):
    """``settings/``: whether the meeting has B2B meetings and how requests work. Every
    participant may read them (to know whether to pick a slot); organizers change them."""

    serializer_class = MatchmakingSerializer

    def get_permissions(self):
        return _read_participants_write_organizers(self)

    def retrieve(self, request, *args, **kwargs):
        settings_row = selectors.matchmaking_settings(meeting=self.meeting)
        return Response(self.get_serializer(settings_row).data)

    def update(self, request, *args, **kwargs):
        partial = kwargs.get("partial", False)
        serializer = MatchmakingSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        if not partial:  # PUT sends every setting
            for name, field in serializer.fields.items():
                field.required = name not in ("opens_at", "closes_at")
        serializer.is_valid(raise_exception=True)
        settings_row = matchmaking_update(meeting=self.meeting, **serializer.validated_data)
        return Response(self.get_serializer(settings_row).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class SectorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    B2BViewSet,
):
    """``sectors/``: the list of sectors profiles pick from, which the organizers edit."""

    serializer_class = SectorSerializer
    queryset = Sector.objects.none()

    def get_permissions(self):
        return _read_participants_write_organizers(self)

    def get_queryset(self):
        return Sector.objects.filter(meeting=self.meeting).order_by("position", "name", "pk")

    @extend_schema(request=SectorWriteSerializer, responses={201: SectorSerializer})
    def create(self, request, *args, **kwargs):
        data = _validated(SectorWriteSerializer, request.data)
        sector = sector_create(meeting=self.meeting, **data)
        return Response(SectorSerializer(sector).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SectorWriteSerializer, responses=SectorSerializer)
    def update(self, request, *args, **kwargs):
        sector = self.get_object()
        data = _validated(SectorWriteSerializer, request.data)
        return Response(SectorSerializer(sector_update(sector=sector, **data)).data)

    @extend_schema(request=SectorWriteSerializer, responses=SectorSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        sector_delete(sector=instance)


WITH_PARAMETER = OpenApiParameter(
    "with",
    OpenApiTypes.INT,
    required=True,
    description="The profile id of the person to meet (a listed one, or one you have a "
    "request with).",
)


@extend_schema_view(
    list=extend_schema(
        description="Participants see the sessions on the agenda (confirmed, with a time); "
        "organizers every one."
    )
)
class B2BSessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    B2BViewSet,
):
    """``sessions/``: matchmaking sessions with their slots and tables."""

    serializer_class = B2BSessionSerializer
    queryset = B2BSession.objects.none()

    def get_permissions(self):
        if self.action == "free_slots":
            return [CanSeeDirectory()]
        return _read_participants_write_organizers(self)

    def get_queryset(self):
        organizer = self.participant is None  # the permissions let only organizers in else
        return selectors.b2b_sessions_with_slots(meeting=self.meeting, organizer=organizer)

    def _output(self, b2b_session: B2BSession, code=status.HTTP_200_OK) -> Response:
        b2b_session = self.get_queryset().get(pk=b2b_session.pk)
        return Response(self.get_serializer(b2b_session).data, status=code)

    @extend_schema(
        request=B2BSessionWriteSerializer,
        responses={200: B2BSessionSerializer, 201: B2BSessionSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Make an agenda session of kind B2B a matchmaking session (201), or change the one
        it already is (200)."""
        data = _validated(B2BSessionWriteSerializer, request.data)
        session = Session.objects.filter(meeting=self.meeting, pk=data.pop("session")).first()
        if session is None:
            raise MatchmakingError(_("Choose one of this meeting's sessions."), field="session")
        existed = B2BSession.objects.filter(session=session).exists()
        b2b_session = b2b_session_configure(session=session, **data)
        return self._output(b2b_session, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(request=B2BSessionChangeSerializer, responses=B2BSessionSerializer)
    def update(self, request, *args, **kwargs):
        b2b_session = self.get_object()
        current = {
            "slot_minutes": b2b_session.slot_minutes,
            "tables": [table.name for table in b2b_session.tables.all()],
            "max_meetings_per_person": b2b_session.max_meetings_per_person,
        }
        data = _validated(B2BSessionChangeSerializer, request.data, partial=kwargs.get("partial"))
        b2b_session = b2b_session_configure(session=b2b_session.session, **{**current, **data})
        return self._output(b2b_session)

    @extend_schema(request=B2BSessionChangeSerializer, responses=B2BSessionSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        """Stop holding 1:1 meetings in it (refused while meetings are scheduled there); the
        agenda session stays."""
        b2b_session_remove(b2b_session=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[WITH_PARAMETER], responses=SlotChoiceSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="free-slots", url_name="free-slots")
    def free_slots(self, request, *args, **kwargs):
        """The slots of this session where you and the other person are free, no later than
        the most meetings per person, with a free table, in the future."""
        if self.participant is None:
            raise PermissionDenied(
                _("Free slots are for participants (private link); organizers see a request's.")
            )
        b2b_session = self.get_object()
        value = single_query_values(request.query_params, ["with"]).get("with", "")
        other = _counterpart(self.participant, value)
        choices = availability.free_slots(
            b2b_session=b2b_session, people=[self.participant, other.registration]
        )
        return Response(
            SlotChoiceSerializer(choices, many=True, context=self.get_serializer_context()).data
        )


def _counterpart(participant, value: str) -> Profile:
    """The profile ``?with=`` names, when the participant may plan a meeting with them."""
    pk = int(value) if value.isascii() and value.isdigit() else 0
    profile = (
        selectors.profile_of_counterpart(registration=participant, pk=pk)
        if 0 < pk <= MAX_ID
        else None
    )
    if profile is None:
        raise MatchmakingError(
            _("Name a person you can meet: the id of their profile."), field="with"
        )
    return profile


class ProfileFilterSerializer(serializers.Serializer):
    """``?listed=`` and ``?visible=``: true or false, or left out; anything else ("null"
    included) is a 400 naming the parameter."""

    listed = serializers.BooleanField(required=False)
    visible = serializers.BooleanField(required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("listed", OpenApiTypes.BOOL),
            OpenApiParameter("visible", OpenApiTypes.BOOL),
        ]
    )
)
class OrganizerProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizerViewSet):
    """``profiles/``: every profile of the meeting, for its organizers, to validate."""

    permission_classes = [IsMeetingOrganizer]
    serializer_class = ProfileOrganizerSerializer
    queryset = Profile.objects.none()

    def get_queryset(self):
        profiles = selectors.profiles_for_organizers(meeting=self.meeting)
        if self.action == "list":
            query = single_query_values(self.request.query_params, ["listed", "visible"])
            wanted = _validated(ProfileFilterSerializer, query)
            for name in ("listed", "visible"):
                if name in wanted:
                    profiles = profiles.filter(**{name: wanted[name]})
        return profiles

    def _validate(self, validated: bool) -> Response:
        profile = profile_validate(profile=self.get_object(), validated=validated)
        return Response(self.get_serializer(self.get_queryset().get(pk=profile.pk)).data)

    @extend_schema(request=None, responses=ProfileOrganizerSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request, *args, **kwargs):
        """Shown to the others (once listed and confirmed) when profiles need validation."""
        return self._validate(True)

    @extend_schema(request=None, responses=ProfileOrganizerSerializer)
    @action(detail=True, methods=["post"])
    def unvalidate(self, request, *args, **kwargs):
        return self._validate(False)
