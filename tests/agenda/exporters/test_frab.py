"""schedule.json and schedule.xml: valid against the published c3voc schemas, and right."""

import datetime as dt
import io
import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from lxml import etree

from agenda.models import Session
from tests.factories import MeetingFactory, RoomFactory, SessionFactory, TrackFactory

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def json_validator():
    schema = json.loads((SCHEMAS / "schema.json").read_text())
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def xml_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))


def assert_valid(client, slug, json_validator, xml_schema) -> tuple[dict, etree._Element]:
    json_response = client.get(f"/meetings/{slug}/schedule.json")
    xml_response = client.get(f"/meetings/{slug}/schedule.xml")
    assert json_response.status_code == 200
    assert xml_response.status_code == 200
    data = json.loads(json_response.content)
    errors = [f"{list(e.path)}: {e.message}" for e in json_validator.iter_errors(data)]
    assert errors == []
    document = etree.fromstring(xml_response.content)
    assert xml_schema.validate(document), str(xml_schema.error_log)
    return data, document


def test_reference_meeting_schedule_is_valid(client, json_validator, xml_schema):
    """The seeded Pamplona 2019 meeting validates against the XSD and the JSON schema."""
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())

    data, document = assert_valid(client, "intercluster-2019", json_validator, xml_schema)

    conference = data["schedule"]["conference"]
    events = [e for day in conference["days"] for room in day["rooms"].values() for e in room]
    assert len(events) == Session.objects.filter(meeting__slug="intercluster-2019").count()
    assert len(document.findall("day/room/event")) == len(events)
    assert conference["acronym"] == "intercluster_2019"
    assert [day["date"] for day in conference["days"]] == ["2019-12-10", "2019-12-11"]


def test_generated_meeting_schedule_is_valid(client, agenda, json_validator, xml_schema, settings):
    """A generated meeting with odd titles, a track slug starting with a digit and no track."""
    TrackFactory(meeting=agenda.meeting, name="4.0", slug="4-0")
    SessionFactory(
        meeting=agenda.meeting,
        title="¿Qué? — <b>&</b>",
        track=None,
        room=agenda.small,
        starts_at=agenda.panel.starts_at - dt.timedelta(hours=3),
        ends_at=agenda.panel.starts_at - dt.timedelta(hours=2),
    )

    assert_valid(client, "meet", json_validator, xml_schema)


def test_schedule_content(client, agenda):
    """Days, rooms, local times, HH:MM durations, uuid5 guids, public names only."""
    data = json.loads(client.get("/meetings/meet/schedule.json").content)

    schedule = data["schedule"]
    conference = schedule["conference"]
    assert conference["time_zone_name"] == "Europe/Madrid"
    assert conference["daysCount"] == 2
    assert [room["name"] for room in conference["rooms"]] == ["Auditorio", "Sala Taconera"]
    assert [track["slug"] for track in conference["tracks"]] == ["collab", "industry"]
    day1, day2 = conference["days"]
    assert day1["index"] == 1
    assert day1["day_start"] == f"{agenda.day1}T00:00:00" + day1["day_start"][-6:]
    assert [e["title"] for e in day1["rooms"]["Auditorio"]] == ["Opening keynote"]
    assert [e["title"] for e in day1["rooms"]["Sala Taconera"]] == ["Workshop: joint projects"]
    # The cancelled talk and the draft are not in the schedule.
    assert day2["rooms"]["Sala Taconera"] == []
    (panel,) = day2["rooms"]["Auditorio"]
    starts = agenda.panel.starts_at.astimezone(agenda.meeting.tzinfo)
    assert panel["id"] == agenda.panel.pk
    assert panel["guid"] == str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"session-{agenda.panel.pk}@testserver.example")
    )
    assert panel["date"] == starts.isoformat()
    assert panel["start"] == "10:00"
    assert panel["duration"] == "01:15"
    assert panel["room"] == "Auditorio"
    assert panel["track"] == "Collaboration"
    assert panel["type"] == "panel"
    assert panel["slug"] == f"meet-{agenda.panel.pk}-panel-the-map-of-clusters"
    assert panel["url"] == f"https://testserver.example/meetings/meet/sessions/{agenda.panel.pk}/"
    assert [(p["name"], p["biography"]) for p in panel["persons"]] == [
        ("Ana Echeverría", None),
        ("Marta Fernández", "Cluster manager."),
    ]
    assert "private.example.org" not in json.dumps(data)


def test_schedule_xml_says_the_same_as_json(client, agenda):
    """The XML carries the same events, times and people as the JSON."""
    document = etree.fromstring(client.get("/meetings/meet/schedule.xml").content)

    events = document.findall("day/room/event")
    assert [e.findtext("title") for e in events] == [
        "Opening keynote",
        "Workshop: joint projects",
        "Panel: the map of clusters",
    ]
    panel = events[2]
    assert panel.get("id") == str(agenda.panel.pk)
    assert panel.findtext("duration") == "01:15"
    assert [p.text for p in panel.findall("persons/person")] == [
        "Ana Echeverría",
        "Marta Fernández",
    ]
    assert document.findtext("conference/time_zone_name") == "Europe/Madrid"


def test_dst_night_duration_is_elapsed_time(client):
    """01:30–03:30 on the October DST night lasts three hours, and says so."""
    meeting = MeetingFactory(
        slug="dst-night", starts_on=dt.date(2026, 10, 24), ends_on=dt.date(2026, 10, 25)
    )
    room = RoomFactory(venue=meeting.venue)
    SessionFactory(
        meeting=meeting,
        room=room,
        starts_at=dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 10, 25, 2, 30, tzinfo=dt.UTC),
    )

    data = json.loads(client.get("/meetings/dst-night/schedule.json").content)

    (event,) = data["schedule"]["conference"]["days"][1]["rooms"][room.name]
    assert (event["date"], event["start"], event["duration"]) == (
        "2026-10-25T01:30:00+02:00",
        "01:30",
        "03:00",
    )
    assert event["end"] == "2026-10-25T03:30:00+01:00"


def test_schedule_headers(client, agenda):
    """Served inline with CORS, ETag and a 304 on repeat."""
    response = client.get("/meetings/meet/schedule.json")

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'inline; filename="meet-schedule.json"'
    assert response["Access-Control-Allow-Origin"] == "*"
    repeat = client.get("/meetings/meet/schedule.xml")
    assert repeat["Content-Type"] == "application/xml; charset=utf-8"
    again = client.get("/meetings/meet/schedule.xml", HTTP_IF_NONE_MATCH=repeat["ETag"])
    assert again.status_code == 304
