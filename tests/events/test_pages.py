import datetime as dt
import re

import lxml.html
import pytest
from django.utils import timezone

from events.models import Meeting
from events.selectors import meeting_list_public
from tests.factories import MeetingFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_home_lists_upcoming_meetings_first_and_past_ones_below(client):
    today = timezone.localdate()
    past = MeetingFactory(title="Old one", starts_on=today - dt.timedelta(days=400))
    soon = MeetingFactory(title="Soon", starts_on=today + dt.timedelta(days=10))
    later = MeetingFactory(title="Later", starts_on=today + dt.timedelta(days=90))
    MeetingFactory(title="Secret draft", status=Meeting.Status.DRAFT)

    response = client.get("/")

    assert response.status_code == 200
    assert [m.title for m in response.context["upcoming"]] == [soon.title, later.title]
    assert [m.title for m in response.context["past"]] == [past.title]
    html = response.content.decode()
    assert html.index("Soon") < html.index("Later") < html.index("Old one")
    assert "Secret draft" not in html


def test_meeting_page_shows_dates_venue_and_organisations(client):
    meeting = MeetingFactory(
        slug="ic",
        title="Intercluster",
        starts_on=dt.date(2019, 12, 10),
        ends_on=dt.date(2019, 12, 11),
    )
    meeting.organizations.add(OrganizationFactory(name="MetaIndustry4", region="ES-AS"))

    response = client.get("/meetings/ic/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "10–11 December 2019" in html
    assert "CET (Europe/Madrid)" in html
    assert meeting.venue.address in html
    assert 'MetaIndustry4 <span class="muted">· Principado de Asturias</span>' in html
    assert "ES-AS" not in html
    assert "1 organisation taking part" in html


def test_meeting_page_lists_organisations_by_region_name_national_bodies_first(client, meeting):
    """In the order people look regions up (Asturias under A), not by code (ES-CE first)."""
    for name, region in [
        ("Zeta Melilla", "ES-ML"),
        ("Abroad Co", "other"),
        ("Federation", ""),
        ("Beta Castilla", "ES-CL"),
        ("alpha Castilla", "ES-CL"),
        ("Álamo Castilla", "ES-CL"),
        ("Ceuta Port", "ES-CE"),
        ("Metal Asturias", "ES-AS"),
        ("Hidden \u202eevil\u200b\x07", "ES-PV"),
    ]:
        meeting.organizations.add(OrganizationFactory(name=name, region=region))

    response = client.get(f"/meetings/{meeting.slug}/")

    listed = [
        " ".join(item.text_content().split())
        for item in lxml.html.fromstring(response.content).xpath("//ul[@class='organizations']/li")
    ]
    assert listed == [
        "Federation",
        "Metal Asturias · Principado de Asturias",
        "Álamo Castilla · Castilla y León",
        "alpha Castilla · Castilla y León",
        "Beta Castilla · Castilla y León",
        "Hidden \u202eevil\u200b\x07 · País Vasco",
        "Ceuta Port · Ceuta",
        "Zeta Melilla · Melilla",
        "Abroad Co · Other country",
    ]


def test_draft_meeting_page_is_404_for_the_public(client):
    MeetingFactory(slug="hidden", status=Meeting.Status.DRAFT)
    assert client.get("/meetings/hidden/").status_code == 404


def test_draft_meeting_page_is_visible_to_its_organizer(client, meeting, organizer):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    client.force_login(organizer)

    response = client.get(f"/meetings/{meeting.slug}/")

    assert response.status_code == 200
    assert "Draft: only organizers can see this page." in response.content.decode()


def test_cancelled_meeting_is_shown_as_cancelled(client):
    MeetingFactory(slug="off", status=Meeting.Status.CANCELLED)
    response = client.get("/meetings/off/")
    assert "This meeting has been cancelled." in response.content.decode()


def test_unknown_meeting_is_404(client):
    assert client.get("/meetings/nope/").status_code == 404


def test_api_docs_page_serves_swagger_from_our_own_static_files(client):
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    # Nothing loaded from another host (a CDN would need the internet).
    assert re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", html) == []


def test_openapi_schema_describes_the_meetings_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/meetings/{slug}/" in response.json()["paths"]


def test_home_cards_show_where_registration_stands(client):
    """Open: a badge and a Register link; not yet open: when it opens, in meeting time; closed."""
    now = timezone.now()
    soon = timezone.localdate() + dt.timedelta(days=30)
    MeetingFactory(slug="open-one", title="Open one")
    MeetingFactory(
        title="Not yet",
        starts_on=dt.date(2099, 1, 12),
        registration_opens_at=dt.datetime(2098, 12, 1, 8, 0, tzinfo=dt.UTC),
    )
    MeetingFactory(title="Closed one", starts_on=soon, registration_closes_at=now)

    html = client.get("/").content.decode()

    open_card = html[html.index("Open one") : html.index("</article>", html.index("Open one"))]
    assert "Registration is open." in open_card
    assert 'href="/meetings/open-one/register/"' in open_card
    assert "Registration opens on 1 December 2098, 09:00. CET (Europe/Madrid)" in html
    closed_card = html[html.index("Closed one") :]
    assert "Registration is closed." in closed_card[: closed_card.index("</article>")]


def test_home_cards_of_past_meetings_say_nothing_about_registration(client):
    MeetingFactory(title="Old one", starts_on=timezone.localdate() - dt.timedelta(days=400))
    html = client.get("/").content.decode()
    assert "Registration" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_does_not_grow_with_meetings(client, django_assert_num_queries, count):
    """One query (every public meeting with its venue) whatever the number of meetings."""
    today = timezone.localdate()
    for n in range(count):
        MeetingFactory(starts_on=today + dt.timedelta(days=10 + n))
        MeetingFactory(starts_on=today - dt.timedelta(days=400 + n))
    with django_assert_num_queries(1):
        response = client.get("/")
    assert len(response.context["upcoming"]) == len(response.context["past"]) == count


def test_a_meeting_is_past_when_its_last_day_is_over_in_its_own_zone():
    """00:30 in Madrid after the last day is still 23:30 of that day in UTC."""
    meeting = MeetingFactory(starts_on=dt.date(2030, 6, 3), ends_on=dt.date(2030, 6, 4))
    last_evening = dt.datetime(2030, 6, 4, 21, 59, tzinfo=dt.UTC)  # 23:59 in Madrid
    after_midnight = dt.datetime(2030, 6, 4, 22, 30, tzinfo=dt.UTC)  # 00:30 in Madrid

    assert meeting_list_public(now=last_evening) == ([meeting], [])
    assert meeting_list_public(now=after_midnight) == ([], [meeting])


def test_unknown_page_answers_404_with_the_site_layout(client):
    response = client.get("/meetings/no-such-meeting/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · Intercluster</title>" in html
    assert 'href="/"' in html
