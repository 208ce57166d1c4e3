"""The organisation admin: region is a select, shown and filtered by its name."""

import pytest

from events.models import Organization
from tests.factories import OrganizationFactory, UserFactory
from tests.roundtrip import form_values, select_options

pytestmark = pytest.mark.django_db

CHANGE_FORM = "form[@id='organization_form']"  # the admin page has a logout form too

HOSTILE = "=cmd|' /C calc'!A0\r\nBcc: x@evil.example\x07\x1b[31m\u202eevil\u200b"
# What a one-line field accepts (no controls, no invisible marks) and still hostile.
HOSTILE_LINE = "=cmd|' /C calc'!A0 Bcc: x@evil.example <b>Clúster</b> \"'"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def saved_fields(organization):
    return {
        field: value
        for field, value in Organization.objects.filter(pk=organization.pk).values().get().items()
        if field != "updated_at"
    }


def change_form(admin_client, organization):
    url = f"/admin/events/organization/{organization.pk}/change/"
    html = admin_client.get(url).content.decode()
    return url, html


def test_change_form_offers_the_regions_by_name(admin_client):
    organization = OrganizationFactory(region="ES-PV")

    _url, html = change_form(admin_client, organization)

    options = select_options(html, "region", xpath=CHANGE_FORM)
    assert options[0] == ("", "---------")
    assert options[1:4] == [
        ("ES-AN", "Andalucía"),
        ("ES-AR", "Aragón"),
        ("ES-AS", "Principado de Asturias"),
    ]
    assert options[-1] == ("other", "Other country")
    assert len(options) == 21
    assert form_values(html, xpath=CHANGE_FORM)["region"] == "ES-PV"


@pytest.mark.parametrize(
    ("region", "region_legacy"), [("ES-NC", ""), ("", ""), ("", HOSTILE), ("other", "")]
)
def test_change_form_saved_unchanged_changes_nothing(admin_client, region, region_legacy):
    """Open an organisation, press Save without touching anything: every field stays."""
    organization = OrganizationFactory(
        name=f"Clúster {HOSTILE_LINE}" + "x" * 100,
        short_name="Short «FNC»",
        region=region,
        region_legacy=region_legacy,
        website="https://example.org/",
    )
    before = saved_fields(organization)
    url, html = change_form(admin_client, organization)
    data = form_values(html, xpath=CHANGE_FORM)

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert saved_fields(organization) == before
    # The kept text is shown (read-only) where there is some, never posted.
    assert "region_legacy" not in data
    assert ("Region as typed before the list" in html) is bool(region_legacy)


def test_change_form_refuses_a_region_not_on_the_list(admin_client):
    organization = OrganizationFactory(region="ES-NC")
    url, html = change_form(admin_client, organization)
    data = form_values(html, xpath=CHANGE_FORM) | {"region": "Navarra"}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice. Navarra is not one of the available choices." in (
        response.content.decode()
    )
    assert Organization.objects.get(pk=organization.pk).region == "ES-NC"


def test_changelist_shows_and_filters_regions_by_name(admin_client):
    OrganizationFactory(name="Navarre cluster", region="ES-NC")
    OrganizationFactory(name="Basque cluster", region="ES-PV")

    response = admin_client.get("/admin/events/organization/")
    html = response.content.decode()
    filtered = admin_client.get("/admin/events/organization/", {"region__exact": "ES-PV"})

    assert '<td class="field-region">Comunidad Foral de Navarra</td>' in html
    assert '<a href="?region__exact=ES-PV">País Vasco</a>' in html
    assert [o.name for o in filtered.context["cl"].queryset] == ["Basque cluster"]


def test_changelist_search_finds_a_region_by_any_of_its_names(admin_client):
    OrganizationFactory(name="Navarre cluster", region="ES-NC")
    OrganizationFactory(name="Basque cluster", region="ES-PV")
    OrganizationFactory(name="Old text", region="", region_legacy="Pamplona")

    def found(term):
        response = admin_client.get("/admin/events/organization/", {"q": term})
        return sorted(o.name for o in response.context["cl"].queryset)

    assert found("euskadi") == ["Basque cluster"]
    assert found("Comunidad Foral de Navarra") == ["Navarre cluster"]
    assert found("pamplona") == ["Old text"]
    assert found("Basque") == ["Basque cluster"]
