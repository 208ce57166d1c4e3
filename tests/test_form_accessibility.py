"""Every form page, sent with mistakes, tells a screen reader what is wrong and where.

Each form is opened and sent back as a browser would (tests/roundtrip.py) with one or
two fields made wrong; on the page that answers:

- every ``aria-describedby`` names ids that are on the page, and no id is there twice;
- every control marked ``aria-invalid="true"`` is described by its error list (itself or
  through its fieldset);
- the error summary is on top of the page, its links go to controls that are there, in
  the order given here.
"""

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from tests.roundtrip import resubmit
from tests.site_tour import HOSTILE_TEXT, ORGANIZER, build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    cache.clear()  # fresh rate limits for the private-link pages
    yield build_site()
    cache.clear()


def participant(site) -> Client:
    client = Client()
    client.get(site.participant.get_absolute_url())  # the browser now remembers them
    return client


def organizer(site) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=ORGANIZER[0]))
    return client


def cases(site) -> list:
    """(page, who, send): send(client) answers with the page showing the errors; who is
    "anyone" (a new browser), "participant" (who opened their private link) or "organizer"."""
    next_ = f"/meetings/{site.meeting.slug}"
    manage = f"{next_}/manage"
    me = site.participant.get_absolute_url()
    incoming = site.participant.b2b_requests_received.filter(status="requested").first()
    past_request = site.past_participant.b2b_requests_sent.get()
    return [
        (
            "register",
            "anyone",
            lambda c: resubmit(c, f"{next_}/register/", first_name=HOSTILE_TEXT, email="@"),
        ),
        (
            "private link: sessions",
            "participant",
            lambda c: resubmit(c, me, choice={"action": "/sessions/"}, sessions=["999999"]),
        ),
        (
            "login",
            "anyone",
            lambda c: resubmit(c, "/accounts/login/", username=ORGANIZER[0], password="wrong"),
        ),
        (
            "my profile",
            "participant",
            lambda c: resubmit(
                c, f"{me}profile/", choice={"form_id": "profile-form"}, website="not a web address"
            ),
        ),
        (
            "my profile: new entry",
            "participant",
            lambda c: resubmit(c, f"{me}profile/", choice={"form_id": "entry-form"}, title=""),
        ),
        (
            "marketplace entry",
            "participant",
            lambda c: resubmit(c, f"{me}profile/entries/{site.entry_pk}/", title="a\nb"),
        ),
        (
            "profile: request",
            "participant",
            lambda c: resubmit(
                c,
                f"{next_}/participants/{site.other.b2b_profile.pk}/",
                choice={"form_id": "request-form"},
                message="x" * 5000,
            ),
        ),
        (
            "my meetings: decline",
            "participant",
            lambda c: resubmit(
                c,
                f"{me}meetings/",
                choice={"action": f"/{incoming.pk}/decline/"},
                reason="x" * 5000,
            ),
        ),
        (
            "past meetings: outcome",
            "anyone",
            lambda c: resubmit(
                c,
                f"{site.past_participant.get_absolute_url()}meetings/",
                choice={"form_id": f"outcome-{past_request.pk}"},
                note=HOSTILE_TEXT,
            ),
        ),
        (
            "settings",
            "organizer",
            lambda c: resubmit(c, f"{manage}/settings/", capacity="-3", contact_email="@"),
        ),
        ("new speaker", "organizer", lambda c: resubmit(c, f"{manage}/speakers/new/", name="")),
        ("new track", "organizer", lambda c: resubmit(c, f"{manage}/tracks/new/", name="")),
        (
            "board: new session",
            "organizer",
            lambda c: resubmit(c, f"{next_}/board/sessions/new/", title="", capacity="-1"),
        ),
        (
            "board: session speakers",
            "organizer",
            lambda c: resubmit(
                c,
                f"{next_}/board/sessions/{site.workshop.pk}/",
                choice={"form_id": "speaker-add-form"},
                speaker="999999",
            ),
        ),
        ("board: import", "organizer", lambda c: resubmit(c, f"{next_}/board/import/")),
        (
            "compose",
            "organizer",
            lambda c: resubmit(
                c, f"{manage}/messages/new/", button=("preview", ""), subject="", statuses=[]
            ),
        ),
        (
            "matchmaking settings",
            "organizer",
            lambda c: resubmit(
                c, f"{manage}/matchmaking/", choice={"form_id": "matchmaking-form"}, opens_at="x"
            ),
        ),
        (
            "matchmaking: new sector",
            "organizer",
            lambda c: resubmit(
                c, f"{manage}/matchmaking/", choice={"form_id": "sector-add-form"}, name=""
            ),
        ),
        (
            "matchmaking: sector",
            "organizer",
            lambda c: resubmit(c, f"{manage}/matchmaking/sectors/{site.sector.pk}/", name=""),
        ),
        (
            "matchmaking session",
            "organizer",
            lambda c: resubmit(
                c, f"{manage}/matchmaking/sessions/{site.b2b_session.pk}/", slot_minutes="0"
            ),
        ),
        (
            "schedule a request",
            "organizer",
            lambda c: resubmit(
                c, f"{manage}/matchmaking/requests/{site.accepted.pk}/schedule/", slot="999999"
            ),
        ),
    ]


# The error summary's links, page by page ("" for an error that belongs to no field).
SUMMARIES = {
    "register": [
        "#id_first_name",  # two mistakes: a line break, and too long
        "#id_first_name",
        "#id_last_name",
        "#id_email",
        "#id_consent_processing",
    ],
    "private link: sessions": ["#id_sessions"],
    "login": [""],
    "my profile": ["#id_website"],
    "my profile: new entry": ["#id_entry_title"],
    "marketplace entry": ["#id_title"],
    "profile: request": ["#id_message"],
    "my meetings: decline": ["#id_reason_{incoming}"],
    "past meetings: outcome": ["#id_held_{past}"],
    "settings": ["#id_capacity", "#id_contact_email"],
    "new speaker": ["#id_name"],
    "new track": ["#id_name"],
    "board: new session": ["#id_title", "#id_capacity"],
    "board: session speakers": ["#id_speaker"],
    "board: import": ["#id_file"],
    "compose": ["#id_subject", "#id_body", "#id_statuses"],
    "matchmaking settings": ["#id_opens_at"],
    "matchmaking: new sector": ["#id_name"],
    "matchmaking: sector": ["#id_name"],
    "matchmaking session": ["#id_slot_minutes"],
    "schedule a request": ["#id_slot"],
}


def aria_problems(html: str) -> tuple[list[str], list[str]]:
    """(what is wrong with the page's aria wiring, the error summary's link targets)."""
    document = lxml.html.fromstring(html)
    ids = [element.get("id") for element in document.xpath("//*[@id]")]
    known = set(ids)
    problems = [f"id {name!r} twice" for name in sorted(known) if ids.count(name) > 1]
    for element in document.xpath("//*[@aria-describedby]"):
        for name in element.get("aria-describedby").split():
            if name not in known:
                problems.append(f"<{element.tag} id={element.get('id')}> describedby {name!r}")
    for element in document.xpath("//*[@aria-invalid='true']"):
        described = element.xpath("ancestor-or-self::*[@aria-describedby]/@aria-describedby")
        if not any(name.endswith("_error") for names in described for name in names.split()):
            problems.append(f"<{element.tag} id={element.get('id')}> invalid, not described")
    summaries = document.xpath("//main//*[@data-error-summary]")
    if len(summaries) != 1:
        return [*problems, f"{len(summaries)} error summaries"], []
    links = []
    for item in summaries[0].xpath(".//li"):
        [href] = item.xpath("./a/@href") or [""]
        if href and href.removeprefix("#") not in known:
            problems.append(f"summary link {href} goes nowhere")
        links.append(href)
    return problems, links


def test_every_form_page_with_errors_wires_its_errors_to_its_fields(site):
    found, summaries = {}, {}
    clients = {"participant": participant(site), "organizer": organizer(site)}
    for label, who, send in cases(site):
        response = send(clients.get(who) or Client())  # "anyone": a new browser
        problems, links = aria_problems(response.content.decode())
        if response.status_code not in (200, 400):
            problems.append(f"status {response.status_code}")
        if problems:
            found[label] = problems
        summaries[label] = links
    numbers = {
        "incoming": site.participant.b2b_requests_received.filter(status="requested").first().pk,
        "past": site.past_participant.b2b_requests_sent.get().pk,
    }
    assert found == {}
    assert summaries == {
        label: [link.format(**numbers) for link in links] for label, links in SUMMARIES.items()
    }
