"""Who is asking, in the B2B API: a participant by their private link, or an organizer.

A participant has no account: the token of their private link (``/r/<token>/``)
is their credential, sent as ``Authorization: Bearer <token>``. It is looked up
by its hash and compared in constant time (``registration_get_by_token``), and
every attempt counts against the private link's rate limit, so the API is no
better a place to guess tokens than the link itself. The authenticated
"user" stays anonymous; ``request.auth`` is the ``Registration``.

Organizers use the API's usual token or session and ``is_organizer`` for that
meeting. Each view says which of the two it serves through the permissions below;
``B2BViewSet`` is the base of every B2B view (meeting, credentials, schema).
"""

from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, viewsets
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    TokenAuthentication,
    get_authorization_header,
)
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission

from core.throttling import PrivateLinkThrottle, is_throttled
from events.openapi import AutoSchema
from events.parsers import JSONParser
from events.selectors import is_organizer, meeting_get_visible
from matchmaking.selectors import directory_refusal, matchmaking_get
from matchmaking.services.profiles import profile_refusal
from registrations.models import Registration
from registrations.selectors import registration_get_by_token

KEYWORD = "Bearer"


class PrivateLinkAuthentication(BaseAuthentication):
    """``Authorization: Bearer <private-link token>`` → (anonymous user, the registration)."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: the token or session authentication may know it
        wait = is_throttled(request, PrivateLinkThrottle)
        if wait:
            raise exceptions.Throttled(wait=wait)
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token of your private link as: Authorization: Bearer <token>.")
            )
        try:
            token = header[1].decode("ascii")
            registration = registration_get_by_token(token=token)
        except (UnicodeDecodeError, Http404) as exc:
            raise exceptions.AuthenticationFailed(
                _(
                    "This private-link token is not valid. Use the token of the private link "
                    "in your registration email."
                )
            ) from exc
        return AnonymousUser(), registration

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'


class PrivateLinkScheme(OpenApiAuthenticationExtension):
    target_class = PrivateLinkAuthentication
    name = "privateLink"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A participant's private-link token (the last part of the "
            "/r/<token>/ link in their registration email): Authorization: Bearer <token>.",
        }


def participant_of(request) -> Registration | None:
    """The registration that authenticated this request, if a participant did."""
    return request.auth if isinstance(request.auth, Registration) else None


def _participant_allowed(request, view, *, directory: bool) -> bool:
    """A participant's token for this meeting, matchmaking on, registration not cancelled
    (``directory``: confirmed, to see the others). A refusal names its reason."""
    registration = participant_of(request)
    if registration is None:
        return False
    meeting = view.get_meeting()
    if registration.meeting_id != meeting.pk:
        raise exceptions.PermissionDenied(_("This private link is for another meeting."))
    if matchmaking_get(meeting=meeting) is None:
        raise exceptions.NotFound(_("This meeting has no B2B meetings."))
    reason = (
        directory_refusal(meeting=meeting, registration=registration)
        if directory
        else profile_refusal(registration)
    )
    if reason:
        raise exceptions.PermissionDenied(reason)
    return True


def _organizer(request, view) -> bool:
    return bool(request.user and is_organizer(request.user, view.get_meeting()))


class IsParticipant(BasePermission):
    """The person behind the token, about their own things (profile, requests)."""

    message = gettext_lazy("Send the token of your private link: Authorization: Bearer <token>.")

    def has_permission(self, request, view) -> bool:
        return _participant_allowed(request, view, directory=False)


class IsParticipantOrOrganizer(BasePermission):
    """A participant about their own things, or an organizer about the meeting's."""

    message = gettext_lazy(
        "Only this meeting's participants (private link) and organizers may see this."
    )

    def has_permission(self, request, view) -> bool:
        if participant_of(request) is not None:
            return _participant_allowed(request, view, directory=False)
        return _organizer(request, view)


class CanSeeDirectory(BasePermission):
    """The others' profiles: confirmed participants of the meeting and its organizers."""

    message = gettext_lazy(
        "Only this meeting's participants (private link) and organizers may see this."
    )

    def has_permission(self, request, view) -> bool:
        if participant_of(request) is not None:
            return _participant_allowed(request, view, directory=True)
        return _organizer(request, view)


class B2BPagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (1–200); a page size that is no such number is a 400
    rather than silently the default."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        value = single_query_values(request.query_params, [self.page_size_query_param])
        value = value.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit() and int(value) > 0):
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(most)d.") % {"most": self.max_page_size}
                    ]
                }
            )
        return min(int(value), self.max_page_size)

    def get_page_number(self, request, paginator):
        single_query_values(request.query_params, [self.page_query_param])
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


def single_query_values(query_params, names) -> dict[str, str]:
    """The query's value for each of ``names`` that it holds: one each, or a 400 (the
    schema says one; taking the last of several would hide a client's mistake)."""
    repeated = [name for name in names if len(query_params.getlist(name)) > 1]
    if repeated:
        raise exceptions.ValidationError({name: [_("Send one value.")] for name in repeated})
    return {name: query_params[name] for name in names if name in query_params}


class B2BAutoSchema(AutoSchema):
    """Any B2B operation may answer 403 (a participant of another meeting, or on an
    organizers' endpoint), 404 (the meeting has no B2B meetings) and 429 (every Bearer
    token counts against the private link's rate limit)."""

    def _error_answers(self) -> list[tuple[str, str]]:
        answers = dict(super()._error_answers())
        answers["403"] = (
            "Not allowed: another meeting's private link, a cancelled registration, the "
            "directory before confirmation, or an organizers' (or participants') endpoint; "
            "or no CSRF token."
        )
        answers["404"] = "No such meeting, item or page, or the meeting has no B2B meetings."
        answers["429"] = "Too many requests from this address: wait and retry."
        return sorted(answers.items())


class B2BViewSet(viewsets.GenericViewSet):
    """A resource under /meetings/<slug>/b2b/: the meeting, and who is asking."""

    # A participant's Bearer token first: an anonymous request learns that scheme.
    authentication_classes = [PrivateLinkAuthentication, TokenAuthentication, SessionAuthentication]
    parser_classes = [JSONParser]  # JSON bodies only: any other is a 415
    lookup_value_converter = "int"  # the router's <int:pk>
    pagination_class = B2BPagination
    filter_backends: list = []
    schema = B2BAutoSchema()

    @cached_property
    def meeting(self):
        return meeting_get_visible(slug=self.kwargs["slug"], user=self.request.user)

    def get_meeting(self):
        return self.meeting

    @property
    def participant(self) -> Registration | None:
        return participant_of(self.request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return context
        return {**context, "meeting": self.meeting, "registration": self.participant}


class OrganizerViewSet(B2BViewSet):
    """Organizers' endpoints: their token (or session) is the scheme a 401 names."""

    authentication_classes = [TokenAuthentication, SessionAuthentication, PrivateLinkAuthentication]
