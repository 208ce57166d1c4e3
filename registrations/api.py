"""Registrations in the API: anyone registers (POST), the meeting's organizers manage them.

Same style as events/api.py: a serializer validates the input, a service does
the write, the domain error becomes a 400 (or a 503 when the capacity lock is
busy) in core.api's exception handler.
"""

import django_filters
from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError, Throttled, UnsupportedMediaType
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.throttling import MeetingRegistrationThrottle, RegistrationThrottle, is_throttled
from events.models import Meeting
from events.parsers import JSONParser
from events.permissions import IsMeetingOrganizer
from events.regions import region_match
from events.selectors import meeting_get_visible
from registrations.models import Registration
from registrations.selectors import registration_list, registration_stats
from registrations.serializers import (
    RegistrationAcceptedSerializer,
    RegistrationCreateSerializer,
    RegistrationSerializer,
    RegistrationStatsSerializer,
)
from registrations.services import (
    registration_approve,
    registration_cancel,
    registration_create,
    registration_promote,
    registration_reject,
    registration_resend_link,
)


def accepted_message() -> str:
    # The same answer for a new and for an already registered email.
    return _("Thank you. Check your email: we have sent you a message with your registration link.")


class RegistrationFilterForm(forms.Form):
    """``?status=`` and ``?organization=`` take one real value or are left out: an empty one
    is a 400 naming the parameter (the schema's enum and integer say so), not "any"."""

    REQUIRED_WHEN_GIVEN = ("status", "organization")

    def clean(self):
        cleaned = super().clean()
        for name in self.REQUIRED_WHEN_GIVEN:
            if name in self.data and not str(self.data.get(name, "")).strip():
                self.add_error(name, _("Give a value, or leave the parameter out."))
        return cleaned


class RegistrationFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(
        method="filter_region",
        help_text="A region code or a region's name (as for registering).",
    )

    class Meta:
        model = Registration
        fields = ["status", "organization", "region"]
        form = RegistrationFilterForm

    def filter_region(self, queryset, name, value):
        # A value that names no region matches no registration (rather than all).
        return queryset.filter(region=region_match(value) or value)


class MeetingRegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """``/meetings/<slug>/registrations/``: POST for anyone, everything else for organizers."""

    serializer_class = RegistrationSerializer
    lookup_value_converter = "int"  # the router's <int:pk>
    filterset_class = RegistrationFilter
    filter_backends = [
        django_filters.rest_framework.DjangoFilterBackend,
        filters.SearchFilter,
        filters.OrderingFilter,
    ]
    search_fields = [
        "first_name",
        "last_name",
        "email",
        "organization_name",
        "organization__name",
        "organization__short_name",
        "job_title",
    ]
    ordering_fields = ["created_at", "last_name", "status", "waitlisted_at"]

    def get_permissions(self):
        if self.action == "create":
            return [AllowAny()]
        return [IsMeetingOrganizer()]

    def get_throttles(self):
        return [RegistrationThrottle()] if self.action == "create" else []

    def get_parsers(self):
        return [JSONParser()]

    def get_meeting(self) -> Meeting:
        if not hasattr(self, "_meeting"):
            self._meeting = meeting_get_visible(slug=self.kwargs["slug"], user=self.request.user)
        return self._meeting

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no meeting
            return Registration.objects.none()
        return registration_list(meeting=self.get_meeting())

    def handle_exception(self, exc):
        if isinstance(exc, UnsupportedMediaType):
            exc = ParseError(_("Send a JSON body (Content-Type: application/json)."))
        return super().handle_exception(exc)

    @extend_schema(
        request=RegistrationCreateSerializer,
        responses={
            202: RegistrationAcceptedSerializer,
            400: OpenApiResponse(description="Field errors, or registration is not open."),
            429: OpenApiResponse(description="Too many requests from this address."),
            503: OpenApiResponse(description="Busy: try again after Retry-After seconds."),
        },
    )
    def create(self, request, *args, **kwargs):
        serializer = RegistrationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = self.get_meeting()
        wait = is_throttled(request, MeetingRegistrationThrottle, meeting_id=meeting.pk)
        if wait:
            raise Throttled(wait=wait)
        registration_create(meeting=meeting, **serializer.validated_data)
        return Response({"detail": accepted_message()}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=RegistrationStatsSerializer)
    @action(detail=False, methods=["get"])
    def stats(self, request, *args, **kwargs):
        """Counts per state, organisation, region and session."""
        return Response(registration_stats(meeting=self.get_meeting()))

    def _act(self, service, **extra):
        registration = self.get_object()
        registration = service(registration=registration, **extra)
        registration = self.get_queryset().get(pk=registration.pk)
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        return self._act(registration_approve)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        return self._act(registration_reject)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def promote(self, request, *args, **kwargs):
        """Move a waitlisted person into a free seat."""
        return self._act(registration_promote)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        return self._act(registration_cancel, by_organizer=True)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"], url_path="resend-link")
    def resend_link(self, request, *args, **kwargs):
        """Email the person their private link again."""
        return self._act(registration_resend_link)
