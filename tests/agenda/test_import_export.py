"""import_agenda / export_agenda: CSV and JSON, by external id, all or nothing, round trip."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from agenda.importers import export_rows
from agenda.models import Session
from events.models import Meeting
from tests.factories import RoomFactory, SessionFactory, SpeakerFactory, TrackFactory, at

pytestmark = pytest.mark.django_db

HEADER = (
    "external_id,title,kind,status,date,start,end,room,track,"
    "capacity,requires_booking,speakers,abstract\n"
)


@pytest.fixture
def setup(meeting):
    RoomFactory(venue=meeting.venue, name="Auditorio", capacity=200)
    RoomFactory(venue=meeting.venue, name="Sala B", capacity=30)
    TrackFactory(meeting=meeting, slug="industry", name="Industry")
    SpeakerFactory(meeting=meeting, slug="ane", name="Ane")
    SpeakerFactory(meeting=meeting, slug="iker", name="Iker")
    return meeting


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def csv_text(meeting, *rows):
    day = meeting.starts_on.isoformat()
    return HEADER + "".join(row.replace("DAY", day) + "\n" for row in rows)


def test_csv_import_creates_sessions_with_speakers(setup, tmp_path):
    meeting = setup
    path = write(
        tmp_path,
        "agenda.csv",
        csv_text(
            meeting,
            "s1,Opening,keynote,confirmed,DAY,09:30,10:00,Auditorio,industry,,no,ane:speaker;iker:moderator,Welcome",
            "s2,Workshop,workshop,draft,DAY,10:00,11:30,Sala B,,25,yes,,",
        ),
    )
    out = io.StringIO()

    call_command("import_agenda", meeting.slug, path, stdout=out)

    assert "2 created, 0 updated" in out.getvalue()
    opening = Session.objects.get(external_id="s1")
    assert (opening.starts_at, opening.room.name, opening.track.slug) == (
        at(meeting, 0, "09:30"),
        "Auditorio",
        "industry",
    )
    assert list(opening.speaker_links.values_list("speaker__slug", "role")) == [
        ("ane", "speaker"),
        ("iker", "moderator"),
    ]
    workshop = Session.objects.get(external_id="s2")
    assert (workshop.capacity, workshop.requires_booking, workshop.status) == (25, True, "draft")


def test_import_again_updates_by_external_id(setup, tmp_path):
    meeting = setup
    first = csv_text(meeting, "s1,Opening,keynote,confirmed,DAY,09:30,10:00,Auditorio,,,no,,")
    moved = csv_text(meeting, "s1,Opening,keynote,confirmed,DAY,12:00,12:30,Sala B,,,no,,")
    call_command(
        "import_agenda", meeting.slug, write(tmp_path, "a.csv", first), stdout=io.StringIO()
    )
    out = io.StringIO()

    call_command("import_agenda", meeting.slug, write(tmp_path, "b.csv", moved), stdout=out)

    assert "0 created, 1 updated" in out.getvalue()
    session = Session.objects.get()
    assert (session.starts_at, session.room.name, session.sequence) == (
        at(meeting, 0, "12:00"),
        "Sala B",
        1,
    )


def test_bad_rows_are_all_reported_and_nothing_is_saved(setup, tmp_path):
    meeting = setup
    path = write(
        tmp_path,
        "bad.csv",
        csv_text(
            meeting,
            "s1,Opening,keynote,confirmed,DAY,09:30,10:00,Auditorio,,,no,,",
            "s2,Clash,talk,confirmed,DAY,09:45,10:15,Auditorio,,,no,,",
            "s3,Nowhere,talk,confirmed,DAY,11:00,12:00,Cellar,,,no,,",
            "s4,,talk,confirmed,DAY,11:00,12:00,,,,no,,",
            "s5,Who,talk,confirmed,DAY,13:00,14:00,,,,no,nobody,",
            "s6,When,talk,confirmed,DAY,25:00,26:00,,,,no,,",
        ),
    )
    err = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import_agenda", meeting.slug, path, stdout=io.StringIO(), stderr=err)

    assert str(error.value) == "Nothing imported: 5 problem(s) in bad.csv."
    assert err.getvalue().splitlines() == [
        f"line 3: Room Auditorio is taken by 'Opening' 09:30–10:00 "
        f"({meeting.starts_on:%a} {meeting.starts_on.day} {meeting.starts_on:%b}).",
        "line 4: no room 'Cellar' at the venue",
        "line 5: title is empty",
        "line 6: unknown speaker 'nobody'",
        "line 7: start/end '25:00'/'26:00' are not HH:MM",
    ]
    assert Session.objects.count() == 0


def test_unknown_column_is_refused(setup, tmp_path):
    path = write(tmp_path, "x.csv", "external_id,title,colour\ns1,Opening,red\n")
    with pytest.raises(CommandError):
        call_command("import_agenda", setup.slug, path, stdout=io.StringIO(), stderr=io.StringIO())


def test_json_import_reports_items(setup, tmp_path):
    meeting = setup
    data = {
        "sessions": [
            {"external_id": "j1", "title": "Fine", "kind": "talk"},
            {"external_id": "j2", "title": "Odd", "kind": "party"},
        ]
    }
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_agenda",
            meeting.slug,
            write(tmp_path, "a.json", json.dumps(data)),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert err.getvalue().splitlines() == ["item 2: unknown kind 'party'"]
    assert Session.objects.count() == 0


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_export_then_import_round_trips(setup, tmp_path, extension):
    """Export, import into a fresh copy of the meeting, export again: the same file."""
    meeting = setup
    source = csv_text(
        meeting,
        "s1,Opening,keynote,confirmed,DAY,09:30,10:00,Auditorio,industry,,no,"
        'ane:speaker;iker:moderator,"Welcome, all"',
        "s2,Workshop,workshop,draft,DAY,10:00,11:30,Sala B,,25,yes,iker:speaker,",
        "s3,Ideas,networking,draft,,,,,,,no,,",
    )
    call_command(
        "import_agenda", meeting.slug, write(tmp_path, "in.csv", source), stdout=io.StringIO()
    )
    first = tmp_path / f"first.{extension}"
    call_command("export_agenda", meeting.slug, str(first), stderr=io.StringIO())

    copy = Meeting.objects.create(
        slug="copy",
        title="Copy",
        starts_on=meeting.starts_on,
        ends_on=meeting.ends_on,
        venue=meeting.venue,
        status=Meeting.Status.DRAFT,
    )
    TrackFactory(meeting=copy, slug="industry", name="Industry")
    SpeakerFactory(meeting=copy, slug="ane")
    SpeakerFactory(meeting=copy, slug="iker")
    Session.objects.filter(meeting=meeting).update(status=Session.Status.CANCELLED)  # free rooms
    call_command("import_agenda", "copy", str(first), stdout=io.StringIO())
    second = tmp_path / f"second.{extension}"
    call_command("export_agenda", "copy", str(second), stderr=io.StringIO())

    assert second.read_text() == first.read_text()
    assert len(export_rows(meeting=copy)) == 3


def test_export_to_stdout_is_csv(meeting):
    SessionFactory(meeting=meeting, title="Opening", external_id="s1")
    out = io.StringIO()
    call_command("export_agenda", meeting.slug, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == HEADER.strip()
    assert lines[1].startswith("s1,Opening,talk,confirmed,")


def test_seed_demo_agenda_exports_and_reimports_without_change(tmp_path):
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    meeting = Meeting.objects.get(slug="intercluster-2019")
    path = tmp_path / "demo.json"
    call_command("export_agenda", meeting.slug, str(path), stderr=io.StringIO())
    out = io.StringIO()

    call_command("import_agenda", meeting.slug, str(path), stdout=out)

    assert f"0 created, {meeting.sessions.count()} updated" in out.getvalue()
    assert set(meeting.sessions.values_list("sequence", flat=True)) == {0}
