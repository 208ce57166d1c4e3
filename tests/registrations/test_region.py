"""Region is a choice from the list everywhere a participant gives it: form, API, admin."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from events.regions import Region
from mail.models import OutboxMessage
from registrations.emails import build_email
from registrations.models import Registration
from tests.factories import RegistrationFactory, UserFactory
from tests.roundtrip import form_values, select_options

pytestmark = pytest.mark.django_db

REGISTER_FORM = "form[contains(@class, 'registration-form')]"
ADMIN_FORM = "form[@id='registration_form']"
HOSTILE = "=cmd|' /C calc'!A0 Bcc: x@evil.example\x07\x1b[31m\u202eevil\u200b"
# What a one-line field accepts (no controls, no invisible marks) and still hostile.
HOSTILE_LINE = "=cmd|' /C calc'!A0 Bcc: x@evil.example <b>Clúster</b> \"'"
BAD_REGION = (
    "is not a region we know. Send one of the codes of the region enum in the API schema "
    "(/api/schema/, listed in docs/api.md), e.g. “ES-NC”, or a region's name such as "
    "“Navarra”; send an empty string for none."
)


# --- the public form ---------------------------------------------------------------------


def test_register_form_offers_the_regions_with_an_empty_choice_first(client, meeting):
    html = client.get(f"/meetings/{meeting.slug}/register/").content.decode()

    options = select_options(html, "region", xpath=REGISTER_FORM)
    assert options == [("", "—"), *[(code, str(label)) for code, label in Region.choices]]
    assert form_values(html, xpath=REGISTER_FORM)["region"] == ""


def test_register_form_round_trip_stores_the_chosen_regions_code(client, meeting):
    """Fill in what a person types, choose a region from the select, send the rest as shown."""
    url = f"/meetings/{meeting.slug}/register/"
    html = client.get(url).content.decode()
    data = form_values(html, xpath=REGISTER_FORM)
    assert ("ES-PV", "País Vasco") in select_options(html, "region", xpath=REGISTER_FORM)
    data.update(
        first_name="Ane",
        last_name="Etxeberria",
        email="ane@example.org",
        organization=HOSTILE_LINE,
        job_title=HOSTILE_LINE,
        region="ES-PV",
        consent_processing="on",
    )

    response = client.post(url, data)

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.region, registration.get_region_display()) == ("ES-PV", "País Vasco")
    [message] = OutboxMessage.objects.all()
    assert build_email(message).to == ["ane@example.org"]


def test_register_form_sent_as_shown_writes_nothing_and_keeps_the_chosen_region(client, meeting):
    url = f"/meetings/{meeting.slug}/register/"
    untouched = form_values(client.get(url).content.decode(), xpath=REGISTER_FORM)

    first = client.post(url, untouched)
    again = client.post(url, untouched | {"region": "ES-CN", "email": "not an email"})

    assert first.status_code == 400
    assert again.status_code == 400
    assert form_values(again.content.decode(), xpath=REGISTER_FORM)["region"] == "ES-CN"
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("region", ["Navarra", "XX", HOSTILE, "N" * 5000])
def test_register_form_refuses_a_region_not_on_the_list(client, meeting, region):
    url = f"/meetings/{meeting.slug}/register/"
    data = form_values(client.get(url).content.decode(), xpath=REGISTER_FORM) | {
        "first_name": "Ane",
        "last_name": "Etxeberria",
        "email": "ane@example.org",
        "consent_processing": "on",
        "region": region,
    }

    response = client.post(url, data)

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "region": [f"Select a valid choice. {region} is not one of the available choices."]
    }
    assert Registration.objects.count() == 0


# --- the API -------------------------------------------------------------------------------


def post(meeting, region):
    return APIClient().post(
        f"/api/v1/meetings/{meeting.slug}/registrations/",
        {
            "first_name": "Ane",
            "last_name": "Etxeberria",
            "email": "ane@example.org",
            "region": region,
            "consent_processing": True,
        },
        format="json",
    )


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("ES-NC", "ES-NC"),
        ("other", "other"),
        ("", ""),
        # names, as clients sent them when region was free text
        ("Navarra", "ES-NC"),
        ("  EUSKADI ", "ES-PV"),
        ("Comunidad Valenciana", "ES-VC"),
        ("Catalonia", "ES-CT"),
        ("es-md", "ES-MD"),
    ],
)
def test_api_takes_a_code_or_a_known_name_and_stores_the_code(meeting, sent, stored):
    response = post(meeting, sent)

    assert response.status_code == 202
    assert Registration.objects.get().region == stored


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("Pamplona", "Pamplona"),
        ("Spain", "Spain"),
        (HOSTILE, HOSTILE),
        ("N" * 5000, "N" * 100),
        (7, "7"),
        (["ES-NC"], "['ES-NC']"),
    ],
)
def test_api_refuses_anything_else_with_a_field_error_saying_where_the_codes_are(
    meeting, sent, shown
):
    response = post(meeting, sent)

    assert response.status_code == 400
    assert response.json() == {"region": [f"“{shown}” {BAD_REGION}"]}
    assert Registration.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_api_schema_lists_the_region_codes(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    schemas = schema["components"]["schemas"]
    assert schemas["RegionEnum"]["enum"] == Region.values
    assert schemas["RegistrationCreate"]["properties"]["region"]["oneOf"] == [
        {"$ref": "#/components/schemas/RegionEnum"},
        {"$ref": "#/components/schemas/BlankEnum"},
    ]


def test_api_shows_organizers_the_code_and_the_name(organizer, meeting):
    RegistrationFactory(meeting=meeting, region="ES-IB")
    client = APIClient()
    client.force_authenticate(organizer)

    [row] = client.get(f"/api/v1/meetings/{meeting.slug}/registrations/").json()["results"]

    assert (row["region"], row["region_name"]) == ("ES-IB", "Illes Balears")


# --- the admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def saved(registration):
    return {
        field: value
        for field, value in Registration.objects.filter(pk=registration.pk).values().get().items()
        if field != "updated_at"
    }


@pytest.mark.parametrize(("region", "legacy"), [("ES-CE", ""), ("", ""), ("", HOSTILE)])
def test_admin_change_form_saved_unchanged_changes_nothing(admin_client, meeting, region, legacy):
    registration = RegistrationFactory(
        meeting=meeting,
        first_name=HOSTILE_LINE,
        organization_name=HOSTILE_LINE + "x" * 100,
        job_title=HOSTILE_LINE,
        region=region,
        region_legacy=legacy,
    )
    before = saved(registration)
    url = f"/admin/registrations/registration/{registration.pk}/change/"
    html = admin_client.get(url).content.decode()
    data = form_values(html, xpath=ADMIN_FORM)

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert saved(registration) == before
    assert data["region"] == region
    assert "region_legacy" not in data


def test_admin_lists_and_counts_regions_by_name(admin_client, meeting):
    RegistrationFactory(meeting=meeting, region="ES-ML")
    RegistrationFactory(meeting=meeting, region="ES-ML")
    RegistrationFactory(meeting=meeting, region="")

    response = admin_client.get(
        "/admin/registrations/registration/", {"meeting__id__exact": meeting.pk}
    )

    html = response.content.decode()
    assert html.count('<td class="field-region">Melilla</td>') == 2
    assert "<tr><td>Melilla</td><td>2</td></tr><tr><td>—</td><td>1</td></tr>" in html
    assert "ES-ML</td>" not in html


def test_csv_export_shows_the_regions_name_and_the_kept_text_defused(admin_client, meeting):
    named = RegistrationFactory(meeting=meeting, region="ES-VC", last_name="A")
    kept = RegistrationFactory(meeting=meeting, region="", region_legacy=HOSTILE, last_name="B")

    response = admin_client.post(
        "/admin/registrations/registration/",
        {"action": "export_csv", "_selected_action": [named.pk, kept.pk]},
    )

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["region"], row["region_legacy"]) for row in rows] == [
        ("Comunitat Valenciana", ""),
        ("", "'" + HOSTILE),
    ]
