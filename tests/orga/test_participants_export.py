"""CSV and XLSX of the participants list: the page's filters, hostile text kept harmless."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from mail.models import OutboxMessage
from registrations.emails import build_email
from registrations.exports import cell_safe, xlsx_text
from registrations.models import Registration
from registrations.services import registration_reject
from tests.factories import (
    OrganizationFactory,
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
)
from tests.orga.conftest import HOSTILE

pytestmark = pytest.mark.django_db

LIST = "/meetings/meet/manage/participants/"
HEADER = [
    "first name",
    "last name",
    "email",
    "organization",
    "job title",
    "region",
    "status",
    "registered at",
    "sessions",
    "checked in at",
]
# As long as the column holds (the services cut names at 100 characters).
LONG = "L" * 100


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [
        ["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)
    ]


@pytest.fixture
def hostile(meeting):
    """Hostile text in every field a person types; a formula in the email's local part.

    The region is a code chosen from a list, exported as its name.
    """
    organization = OrganizationFactory(name=HOSTILE, short_name="")
    session = SessionFactory(meeting=meeting, title="+SUM(A1:A9)", requires_booking=True)
    person = RegistrationFactory(
        meeting=meeting,
        first_name=HOSTILE,
        last_name=LONG,
        email="=1+2@example.org",
        organization=organization,
        job_title="@SUM(1)\u200b",
        region="ES-AR",
        checked_in_at=dt.datetime(2026, 7, 1, 7, 0, tzinfo=dt.UTC),
    )
    Registration.objects.filter(pk=person.pk).update(
        created_at=dt.datetime(2026, 7, 1, 6, 30, tzinfo=dt.UTC)
    )
    SessionBookingFactory(registration=person, session=session)
    typed = RegistrationFactory(
        meeting=meeting,
        first_name="\x07Ane",
        last_name="\tTab",
        email="ane@example.org",
        organization_name="\u202eOrg\u202c",
        job_title="\x1b=evil",
        region="ES-NC",
        status="pending",
    )
    Registration.objects.filter(pk=typed.pk).update(
        created_at=dt.datetime(2026, 7, 2, 6, 30, tzinfo=dt.UTC)
    )
    # A formula starting with "-" (it was in the region, which is a code now).
    minus = RegistrationFactory(
        meeting=meeting,
        first_name="Iker",
        last_name="Minus",
        email="iker@example.org",
        organization_name="-2+3",
        job_title="",
        region="other",
        status="waitlisted",
        waitlisted_at=dt.datetime(2026, 7, 3, 6, 30, tzinfo=dt.UTC),
    )
    Registration.objects.filter(pk=minus.pk).update(
        created_at=dt.datetime(2026, 7, 3, 6, 30, tzinfo=dt.UTC)
    )
    RegistrationFactory(first_name="Other meeting")
    return person


def expected_rows(*, strip_controls: bool):
    def clean(text: str) -> str:
        return xlsx_text(text) if strip_controls else cell_safe(text)

    first = [
        clean(HOSTILE),
        LONG,
        "'=1+2@example.org",
        clean(HOSTILE),
        "'@SUM(1)\u200b",
        "Aragón",
        "Confirmed",
        # Summer: Madrid is UTC+2.
        "2026-07-01 08:30",
        "'+SUM(A1:A9) (Booked)",
        "2026-07-01 09:00",
    ]
    second = [
        clean("\x07Ane"),
        "'\tTab",
        "ane@example.org",
        "\u202eOrg\u202c",
        clean("\x1b=evil"),
        "Comunidad Foral de Navarra",
        "Pending approval",
        "2026-07-02 08:30",
        "",
        "",
    ]
    third = [
        "Iker",
        "Minus",
        "iker@example.org",
        "'-2+3",
        "",
        "Other country",
        "Waitlisted",
        "2026-07-03 08:30",
        "",
        "",
    ]
    return [HEADER, first, second, third]


def test_csv_has_every_row_with_formulas_neutralised(organizer_client, hostile):
    response = organizer_client.get(LIST + "export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="participants-meet-')
    rows = read_csv(response)
    assert rows == expected_rows(strip_controls=False)
    assert rows[1][0].startswith("'=cmd|")
    assert rows[1][0].count("\r\n") == 1 and "\x07" in rows[1][0]


def test_xlsx_has_every_row_controls_stripped_and_formulas_neutralised(organizer_client, hostile):
    response = organizer_client.get(LIST + "export.xlsx")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = read_xlsx(response)
    assert rows == expected_rows(strip_controls=True)
    assert (
        rows[1][0]
        == "'=cmd|' /C calc'!A0\r\nBEL ESC[31m \u202eevil\u202c zero\u200bwidth <b>&amp;</b>"
    )
    # "\x07Ane": BEL stripped; "\x1b=evil": ESC stripped, then the "=" is quoted.
    assert rows[2][0] == "Ane"
    assert rows[2][4] == "'=evil"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert all(
        cell.data_type == "s"
        for row in workbook.active.iter_rows()
        for cell in row
        if cell.value is not None
    )


@pytest.mark.parametrize(("suffix", "read"), [("export.csv", read_csv), ("export.xlsx", read_xlsx)])
def test_export_follows_the_pages_filters(organizer_client, hostile, suffix, read):
    response = organizer_client.get(f"{LIST}{suffix}?status=pending&q=ane")

    rows = read(response)
    assert [row[2] for row in rows] == ["email", "ane@example.org"]


def test_export_with_a_bad_filter_is_the_page_with_its_error(organizer_client, hostile):
    response = organizer_client.get(f"{LIST}export.xlsx?status=bogus")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_export_links_on_the_page_carry_the_filters(organizer_client, hostile):
    response = organizer_client.get(f"{LIST}?status=pending")

    html = response.content.decode()
    assert f'href="{LIST}export.csv?status=pending"' in html
    assert f'href="{LIST}export.xlsx?status=pending"' in html


@pytest.mark.parametrize("rows", [1, 5])
def test_export_queries_do_not_grow_with_the_rows(
    organizer_client, meeting, django_assert_num_queries, rows
):
    session = SessionFactory(meeting=meeting, requires_booking=True)
    for _ in range(rows):
        SessionBookingFactory(
            registration=RegistrationFactory(meeting=meeting, organization=OrganizationFactory()),
            session=session,
        )

    # session, user, meeting, organizer role, regions (filter choices), registrations, bookings
    with django_assert_num_queries(7):
        response = organizer_client.get(LIST + "export.xlsx")

    assert len(read_xlsx(response)) == rows + 1


def test_hostile_reject_reason_reaches_the_email_escaped_in_html(organizer_client, meeting):
    person = RegistrationFactory(
        meeting=meeting,
        status="pending",
        first_name=HOSTILE,
        email="=x@example.org",
        language="en",  # the email's words are checked in English
    )
    reason = f"{HOSTILE}\n{'r' * 4900}"

    organizer_client.post(f"{LIST}{person.pk}/reject/", {"reason": reason})

    message = OutboxMessage.objects.get()
    assert message.payload == {"reason": reason.strip()}
    email = build_email(message)
    assert email.to == ["=x@example.org"]
    assert "The organizers wrote:\n" + reason.strip() + "\n" in email.body
    html = email.alternatives[0][0]
    assert "<b>&amp;</b>" not in html
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in html
    assert "<blockquote>=cmd|&#x27; /C calc&#x27;!A0<br>" in html
    assert "\n" not in email.subject and "\r" not in email.subject


def test_reject_without_a_reason_sends_the_email_as_before(meeting):
    person = RegistrationFactory(meeting=meeting, status="pending", language="en")

    registration_reject(registration=person)

    email = build_email(OutboxMessage.objects.get())
    assert "The organizers wrote" not in email.body
    assert "The organizers wrote" not in email.alternatives[0][0]
