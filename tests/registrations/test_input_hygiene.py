"""Registering: one-line names, no IP-literal emails, and NFC before the uniqueness check."""

import pytest
from rest_framework.test import APIClient

from mail.models import OutboxMessage
from registrations.models import Registration
from registrations.services.errors import RegistrationError
from registrations.services.registration import registration_create
from tests.roundtrip import form_values

pytestmark = pytest.mark.django_db

ONE_LINE_ERROR = (
    "Use one line of plain text: no line breaks, control characters or invisible direction marks."
)
IP_ERROR = "Use an email address with a domain name, not an IP address."
REGISTER_FORM = "form[contains(@class, 'registration-form')]"


def register(meeting, **changes):
    values = {
        "first_name": "Ane",
        "last_name": "Etxeberria",
        "email": "ane@example.org",
        "consent_processing": True,
        **changes,
    }
    return registration_create(meeting=meeting, **values)


def api_body(**changes):
    return {
        "first_name": "Ane",
        "last_name": "Etxeberria",
        "email": "ane@example.org",
        "consent_processing": True,
        **changes,
    }


@pytest.mark.parametrize("field", ["first_name", "last_name", "organization", "job_title"])
@pytest.mark.parametrize("character", ["\r\n", "\x07", "\x1b", "\u202e", "\u200b", "\ufeff"])
def test_service_refuses_unsafe_characters_in_one_line_fields(meeting, field, character):
    with pytest.raises(RegistrationError) as caught:
        register(meeting, **{field: f"Ane{character}Bcc: x@evil.example"})

    assert (caught.value.field, caught.value.message) == (field, ONE_LINE_ERROR)
    assert Registration.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize(
    "email", ["ane@[127.0.0.1]", "ane@[::1]", "ANE@[10.0.0.1]", " ane@[192.168.1.1] "]
)
def test_service_refuses_an_ip_literal_email(meeting, email):
    with pytest.raises(RegistrationError) as caught:
        register(meeting, email=email)

    assert (caught.value.field, caught.value.message) == ("email", IP_ERROR)
    assert Registration.objects.count() == 0


def test_service_refuses_a_job_title_too_long_instead_of_cutting_it(meeting):
    with pytest.raises(RegistrationError) as caught:
        register(meeting, job_title="x" * 201)

    assert (caught.value.field, caught.value.message) == (
        "job_title",
        "Use at most 200 characters.",
    )


def test_emails_differing_only_by_nfc_nfd_are_the_same_person(meeting):
    """ "café" with a one-character é and with e + combining accent: the second is a repeat."""
    first = register(meeting, email="ane@caf\u00e9.example", first_name="Jos\u00e9")
    OutboxMessage.objects.all().delete()

    again = register(meeting, email="ANE@CAFE\u0301.example", first_name="Jose\u0301")

    assert again.pk == first.pk
    assert Registration.objects.count() == 1
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["private_link"]


def test_names_and_email_are_stored_composed(meeting):
    registration = register(
        meeting,
        first_name="Jose\u0301",
        last_name="Mun\u0303oz",
        email="ane@cafe\u0301.example",
        organization="Cluste\u0301r",
        job_title="Te\u0301cnica",
    )

    registration.refresh_from_db()
    assert (
        registration.first_name,
        registration.last_name,
        registration.email,
        registration.organization_name,
        registration.job_title,
    ) == ("José", "Muñoz", "ane@café.example", "Clustér", "Técnica")


# --- the API -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"first_name": "Ane\x07"}, {"first_name": [ONE_LINE_ERROR]}),
        ({"last_name": "E\u202etxeberria"}, {"last_name": [ONE_LINE_ERROR]}),
        ({"organization": "FNC\r\nBcc: x@evil.example"}, {"organization": [ONE_LINE_ERROR]}),
        ({"job_title": "Manager\u200b"}, {"job_title": [ONE_LINE_ERROR]}),
        ({"email": "ane@[127.0.0.1]"}, {"email": [IP_ERROR]}),
    ],
)
def test_api_answers_400_with_the_field_error_and_writes_nothing(meeting, changes, errors):
    response = APIClient().post(
        f"/api/v1/meetings/{meeting.slug}/registrations/", api_body(**changes), format="json"
    )

    assert response.status_code == 400
    assert response.json() == errors
    assert Registration.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_api_second_registration_in_nfd_answers_alike_and_adds_nobody(meeting):
    api = APIClient()
    url = f"/api/v1/meetings/{meeting.slug}/registrations/"

    first = api.post(url, api_body(email="ane@caf\u00e9.example"), format="json")
    second = api.post(url, api_body(email="ane@cafe\u0301.example"), format="json")

    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json() == second.json()
    assert Registration.objects.count() == 1


# --- the public form -------------------------------------------------------------------


def test_form_with_a_bell_in_the_name_shows_the_error_and_saves_nothing(client, meeting):
    url = f"/meetings/{meeting.slug}/register/"
    data = form_values(client.get(url).content.decode(), xpath=REGISTER_FORM)
    data.update(
        first_name="Ane\x07",
        last_name="Etxeberria",
        email="ane@[127.0.0.1]",
        consent_processing="on",
    )

    response = client.post(url, data)

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "first_name": [ONE_LINE_ERROR],
        "email": [IP_ERROR],
    }
    assert Registration.objects.count() == 0
