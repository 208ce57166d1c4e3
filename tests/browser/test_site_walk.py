"""Every public page of the demo on a phone: no sideways scrolling, a title, labelled
form fields and no console errors."""

import io

import pytest
from django.core.management import call_command

from agenda.models import Session, Speaker
from tests.factories import RegistrationFactory, SessionBookingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNLABELLED = """Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(e => !['hidden', 'submit'].includes(e.type))
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
  .map(e => e.name || e.id)"""


@pytest.fixture
def demo_pages(transactional_db, live_server, settings):
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    settings.SITE_URL = live_server.url
    workshop = Session.objects.filter(
        meeting__slug="intercluster-next", requires_booking=True
    ).first()
    registration = RegistrationFactory(meeting=workshop.meeting)
    SessionBookingFactory(registration=registration, session=workshop)
    speaker = Speaker.objects.filter(meeting__slug="intercluster-2019").first()
    return [
        "/",
        "/meetings/intercluster-2019/",
        "/meetings/intercluster-next/",
        "/meetings/intercluster-2019/agenda/",
        "/meetings/intercluster-next/agenda/?day=2027-01-13",
        f"/meetings/intercluster-next/sessions/{workshop.pk}/",
        "/meetings/intercluster-2019/speakers/",
        f"/meetings/intercluster-2019/speakers/{speaker.slug}/",
        "/meetings/intercluster-next/register/",
        "/meetings/intercluster-next/register/thanks/",
        f"/r/{registration.token}/",
        f"/r/{registration.token}/cancel/",
    ]


def test_public_pages_read_on_a_phone(demo_pages, live_server, phone):
    errors = []
    phone.on("console", lambda message: message.type == "error" and errors.append(message.text))
    problems = {}
    for path in demo_pages:
        response = phone.goto(live_server.url + path)
        found = {
            "status": response.status,
            "title": phone.title().endswith(" · Intercluster"),
            "width": phone.evaluate("document.documentElement.scrollWidth"),
            "unlabelled": phone.evaluate(UNLABELLED),
            "console": list(errors),
        }
        errors.clear()
        if found != {"status": 200, "title": True, "width": 390, "unlabelled": [], "console": []}:
            problems[path] = found
    assert problems == {}
