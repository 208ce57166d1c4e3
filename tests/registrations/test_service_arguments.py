"""Forms and serializers hand their cleaned data straight to the services, under their names."""

import uuid

import pytest

from agenda.models import Session
from orga.forms import MessageConfirmForm
from registrations.forms import RegistrationForm, SessionChoiceForm
from registrations.models import Registration
from registrations.serializers import RegistrationCreateSerializer
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

PERSON = {
    "first_name": "Ane",
    "last_name": "Etxeberria",
    "email": "ane@example.org",
    "organization": "MetaIndustry4",
    "job_title": "Manager",
    "region": "ES-AS",
    "consent_processing": True,
    "consent_listing": False,
}


def test_registration_form_cleans_to_registration_create_arguments(meeting):
    session = SessionFactory(meeting=meeting)
    form = RegistrationForm(
        {**PERSON, "consent_processing": "on", "sessions": [str(session.pk)]},
        sessions=[session],
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {**PERSON, "session_ids": [session.pk]}


def test_session_choice_form_cleans_to_registration_bookings_update_arguments(meeting):
    session = SessionFactory(meeting=meeting)
    form = SessionChoiceForm({"sessions": [str(session.pk)]}, sessions=[session])

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"session_ids": [session.pk]}


def test_session_choice_form_keeps_its_error_on_the_pages_field(meeting):
    form = SessionChoiceForm({"sessions": ["999"]}, sessions=[])

    assert not form.is_valid()
    assert form.errors == {
        "sessions": ["One of the chosen sessions cannot be chosen any more: reload the page."]
    }


def test_registration_serializer_validates_to_registration_create_arguments():
    serializer = RegistrationCreateSerializer(data={**PERSON, "sessions": [7], "language": "en"})

    assert serializer.is_valid(), serializer.errors
    assert dict(serializer.validated_data) == {**PERSON, "session_ids": [7], "language": "en"}


def test_registration_serializer_names_the_sessions_field_in_its_errors():
    serializer = RegistrationCreateSerializer(data={**PERSON, "sessions": [0]})

    assert not serializer.is_valid()
    assert list(serializer.errors) == ["sessions"]


def test_message_confirm_form_cleans_to_participant_message_send_arguments(meeting):
    session = SessionFactory(meeting=meeting)
    token = uuid.uuid4()
    form = MessageConfirmForm(
        {
            "subject": "Parking",
            "body": "Use the north entrance.",
            "statuses": [Registration.Status.CONFIRMED],
            "session": str(session.pk),
            "region": "",
            "token": str(token),
            "expected_count": "2",
            "expected_digest": "a" * 64,
        },
        meeting=meeting,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "subject": "Parking",
        "body": "Use the north entrance.",
        "statuses": [Registration.Status.CONFIRMED],
        "session": Session.objects.get(pk=session.pk),
        "region": "",
        "token": token,
        "expected_count": 2,
        "expected_digest": "a" * 64,
    }
