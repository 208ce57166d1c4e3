"""A participant's schedule to print, behind their private link: their own meetings and
booked sessions in their language and the meeting's zone, linked from "my meetings"; a
token opens that person's schedule and nobody else's."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from matchmaking.services.requests import request_accept, request_create
from matchmaking.services.setup import matchmaking_update
from registrations.models import SessionBooking
from tests.factories import SessionFactory, at
from tests.matchmaking.b2b import b2b_meeting, person, slots
from tests.matchmaking.pages import my_meetings_url

pytestmark = pytest.mark.django_db


def pdf_url(registration) -> str:
    return f"{my_meetings_url(registration)}schedule.pdf"


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def world():
    meeting = b2b_meeting()
    ana = person(meeting, first_name="Ana", last_name="Pérez", language="es")
    ben = person(meeting, first_name="Ben", last_name="Ruiz")
    cai = person(meeting, first_name="Cai", last_name="Sanz")
    request = request_create(requester=ana, recipient=ben)
    request_accept(request=request, by=ben, slot_id=slots(meeting)[1].pk)
    talk = SessionFactory(
        meeting=meeting,
        title="Hydrogen valleys",
        starts_at=at(meeting, 0, "11:00"),
        ends_at=at(meeting, 0, "11:45"),
    )
    SessionBooking.objects.create(registration=ana, session=talk)
    return meeting, ana, ben, cai


def test_my_meetings_links_the_schedule_which_holds_my_meetings_and_sessions(world):
    _meeting, ana, _ben, _cai = world
    page = Client().get(my_meetings_url(ana)).content.decode()
    assert f'href="{pdf_url(ana)}"' in page

    text = pdf_text(Client().get(pdf_url(ana)))

    assert "Ana Pérez" in text and "Ben Ruiz" in text and "Hydrogen valleys" in text
    assert "11:00–11:45" in text and "15:20–15:40" in text
    assert "Mesa1" in text.replace(" ", "")  # Ana reads Spanish
    assert text.index("Hydrogen valleys") < text.index("Ben Ruiz")


def test_a_token_opens_only_its_own_persons_schedule(world):
    _meeting, ana, ben, cai = world
    for_ben = pdf_text(Client().get(pdf_url(ben)))
    for_cai = pdf_text(Client().get(pdf_url(cai)))

    assert "Ben Ruiz" in for_ben and "Ana Pérez" in for_ben and "Table1" in for_ben.replace(" ", "")
    assert "Hydrogen valleys" not in for_ben  # Ana's booking, not Ben's
    assert "Cai Sanz" in for_cai and "Ana Pérez" not in for_cai and "Ben Ruiz" not in for_cai
    assert Client().get(f"/r/{'x' * 43}/meetings/schedule.pdf").status_code == 404


def test_without_b2b_meetings_there_is_no_schedule(world):
    meeting, ana, _ben, _cai = world
    matchmaking_update(meeting=meeting, enabled=False)
    assert Client().get(pdf_url(ana)).status_code == 404
