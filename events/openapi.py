"""The OpenAPI schema, true to what the API answers (drf-spectacular's AutoSchema, adjusted).

- Reads that anybody may make are marked so (no security requirement needed) for
  views guarded by ``IsMeetingOrganizerOrReadOnly``, as drf-spectacular does for
  DRF's own ``IsAuthenticatedOrReadOnly``.
- Every operation documents the error answers it can give, with their bodies:
  400 (field errors, or ``detail`` for a body that cannot be parsed), 401 (a
  wrong or missing token where one is needed), 403, 404, 415, 429 (throttled)
  and 503 (busy, with Retry-After). An answer declared on the view wins.
"""

from drf_spectacular import openapi
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from events.permissions import IsMeetingOrganizer, IsMeetingOrganizerOrReadOnly


class ErrorSerializer(serializers.Serializer):
    """DRF's error body: one readable message."""

    detail = serializers.CharField()


# Field errors: each field's messages (a list; an object for nested fields), or
# ``non_field_errors``; a body that cannot be read answers ``detail`` instead.
VALIDATION_ERROR = {
    "type": "object",
    "additionalProperties": True,
    "description": "Field errors: a list of messages per field (or non_field_errors), "
    "or detail for a body that cannot be read.",
}


class AutoSchema(openapi.AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        public_read = self.method in SAFE_METHODS and self._has_permission(
            IsMeetingOrganizerOrReadOnly
        )
        if public_read and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in self._error_answers():
            body = VALIDATION_ERROR if code == "400" else ErrorSerializer
            if code not in responses:
                responses[code] = self._get_response_for_code(body, code)
                responses[code]["description"] = description
        return responses

    def _error_answers(self) -> list[tuple[str, str]]:
        writes = self.method not in SAFE_METHODS
        answers = []
        if writes or self._is_list_view():
            answers.append(("400", "Bad input: field errors, nothing changed."))
        answers.append(("401", "The token sent is not valid, or one is needed."))
        if writes or self._has_permission(IsMeetingOrganizer):
            answers.append(("403", "Not an organizer of this meeting (or no CSRF token)."))
        if "{" in self.path or self._is_list_view():
            answers.append(("404", "No such meeting, item or page, or one that is not public."))
        if writes:
            answers.append(("415", "The body's Content-Type is not one the API reads."))
        if self._throttled():
            answers.append(("429", "Too many requests from this address: wait and retry."))
        if writes:
            answers.append(("503", "Busy: someone else is changing this; retry after Retry-After."))
        return answers

    def _has_permission(self, permission_class) -> bool:
        try:
            permissions = self.view.get_permissions()
        except Exception:  # noqa: BLE001 (a view that needs a request to know: none declared)
            return False
        return any(isinstance(permission, permission_class) for permission in permissions)

    def _throttled(self) -> bool:
        try:
            return bool(self.view.get_throttles())
        except Exception:  # noqa: BLE001
            return False
