"""The B2B API in the OpenAPI schema: the participants' Bearer scheme, who may call what,
and every error answer an operation can give."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

B2B = "/api/v1/meetings/{slug}/b2b/"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()


def test_the_private_link_is_a_bearer_scheme(schema):
    scheme = schema["components"]["securitySchemes"]["privateLink"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "private-link token" in scheme["description"]


def test_every_b2b_operation_needs_credentials_and_names_the_private_link(schema):
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        if path.startswith(B2B)
        for method, operation in item.items()
    ]
    assert len(operations) > 30
    for path, method, operation in operations:
        assert {} not in operation["security"], (path, method)  # never anonymous
        assert {"privateLink": []} in operation["security"], (path, method)
        assert {"tokenAuth": []} in operation["security"], (path, method)
        assert {"401", "403", "404", "429"} <= set(operation["responses"]), (path, method)


def test_writes_document_field_errors_and_busy(schema):
    accept = schema["paths"][f"{B2B}requests/{{id}}/accept/"]["post"]
    assert {"200", "400", "503"} <= set(accept["responses"])
    body = accept["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/RequestAccept"}


def test_the_directory_documents_its_filters(schema):
    parameters = schema["paths"][f"{B2B}participants/"]["get"]["parameters"]
    assert {p["name"] for p in parameters} >= {
        "q",
        "region",
        "sector",
        "organization_kind",
        "entry_kind",
        "page",
        "page_size",
    }


def test_no_b2b_component_has_an_email_but_ones_own_profile(schema):
    with_email = sorted(
        name
        for name, component in schema["components"]["schemas"].items()
        if "email" in component.get("properties", {})
    )
    assert "MyProfile" in with_email
    b2b = {
        "Profile",
        "ProfileOrganizer",
        "ProfileRef",
        "MeetingRequest",
        "Person",
        "MarketplaceEntryCard",
        "B2BSession",
    }
    assert b2b <= set(schema["components"]["schemas"])
    assert not b2b & set(with_email)
