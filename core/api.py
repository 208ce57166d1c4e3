"""The API's one exception handler: every app's domain errors answer the same way.

Services raise a ``DomainError`` (a rule refused the change) or a ``Busy`` (a
lock was not free in time); views just call the service and let it propagate.

- ``Busy`` → 503 ``{"detail": message}`` with ``Retry-After``;
- ``DomainError`` → 400 ``{field or "non_field_errors": [message]}``;
- Django's ``ValidationError`` → 400 with its messages per field the same way;
- everything else → DRF's own handler.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Busy, DomainError

# Seconds a client should wait after a 503 "busy": long enough for a lock holder to finish.
BUSY_RETRY_AFTER_SECONDS = 2


class ServiceBusy(APIException):
    """503 with ``Retry-After``: DRF's handler turns ``wait`` into that header."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "busy, try again"
    default_code = "busy"
    wait = BUSY_RETRY_AFTER_SECONDS


def as_api_exception(exc: Exception) -> Exception:
    """The DRF exception a domain or Django validation error answers as; others unchanged."""
    if isinstance(exc, Busy):
        # A Busy may keep the API's answer apart from the message people read on the site.
        return ServiceBusy(getattr(exc, "api_detail", None) or exc.message)
    if isinstance(exc, DomainError):
        return serializers.ValidationError({exc.field or "non_field_errors": [exc.message]})
    if isinstance(exc, DjangoValidationError) and hasattr(exc, "message_dict"):
        return serializers.ValidationError(exc.message_dict)
    if isinstance(exc, DjangoValidationError):
        return serializers.ValidationError({"non_field_errors": exc.messages})
    return exc


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """``REST_FRAMEWORK["EXCEPTION_HANDLER"]``."""
    return drf_exception_handler(as_api_exception(exc), context)
