"""core.api.exception_handler: every app's domain errors answer the same way."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound
from rest_framework.settings import api_settings

from agenda.services import AgendaBusy, AgendaError
from core.api import exception_handler
from core.errors import Busy, DomainError
from events.services import MeetingError
from registrations.services import RegistrationBusy, RegistrationError


def answer(exc: Exception) -> tuple:
    response = exception_handler(exc, {})
    return response.status_code, response.data, response.get("Retry-After")


def test_exception_handler_is_the_api_setting():
    assert api_settings.EXCEPTION_HANDLER is exception_handler


def test_busy_is_a_503_with_retry_after_and_its_message():
    assert answer(Busy("Locked; try again.")) == (503, {"detail": "Locked; try again."}, "2")


def test_agenda_busy_keeps_its_readable_message():
    assert answer(AgendaBusy()) == (
        503,
        {"detail": "The agenda is being changed by someone else; try again."},
        "2",
    )


def test_registration_busy_keeps_the_api_answer_it_always_gave():
    """The site shows the translated message; the API has always said "busy, try again"."""
    assert answer(RegistrationBusy("We are busy right now: please try again.")) == (
        503,
        {"detail": "busy, try again"},
        "2",
    )


def test_domain_error_about_a_field_is_a_400_on_that_field():
    assert answer(DomainError("Too long.", field="title")) == (400, {"title": ["Too long."]}, None)


def test_domain_error_about_the_whole_change_is_a_non_field_error():
    assert answer(DomainError("Not open.")) == (400, {"non_field_errors": ["Not open."]}, None)


def test_each_apps_error_is_a_domain_error():
    assert [
        answer(AgendaError("Room taken.", field="room")),
        answer(MeetingError("Too small.")),
        answer(RegistrationError("Full.", field="sessions")),
    ] == [
        (400, {"room": ["Room taken."]}, None),
        (400, {"non_field_errors": ["Too small."]}, None),
        (400, {"sessions": ["Full."]}, None),
    ]


def test_django_validation_error_with_fields_is_a_400_per_field():
    exc = DjangoValidationError({"ends_on": ["Before the start."], "title": ["Empty."]})
    assert answer(exc) == (400, {"ends_on": ["Before the start."], "title": ["Empty."]}, None)


def test_django_validation_error_without_fields_is_a_non_field_error():
    assert answer(DjangoValidationError(["One.", "Two."])) == (
        400,
        {"non_field_errors": ["One.", "Two."]},
        None,
    )


def test_other_exceptions_go_to_drfs_handler():
    assert answer(NotFound()) == (404, {"detail": "Not found."}, None)


def test_unknown_exceptions_are_left_to_django():
    assert exception_handler(KeyError("x"), {}) is None
