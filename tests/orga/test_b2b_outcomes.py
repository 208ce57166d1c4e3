"""The organizers' outcomes page: every number matches the recorded answers, the regions'
matrix, the CSV exports (parsed back, formulas neutralised), that meeting's organizers only."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaking.models import Profile, Sector
from matchmaking.outcome_selectors import outcome_report
from matchmaking.services.outcomes import outcome_record
from registrations.services import registration_cancel
from tests.factories import MeetingFactory, MeetingOrganizerFactory, UserFactory
from tests.matchmaking.b2b import b2b_session_add, person, slots
from tests.matchmaking.outcomes import meet, past_b2b_meeting
from tests.orga.conftest import HOSTILE, participant_user

pytestmark = pytest.mark.django_db

PAGE = "/meetings/meet/manage/b2b/outcomes/"
MEETINGS_CSV = f"{PAGE}meetings.csv"
MATRIX_CSV = f"{PAGE}regions.csv"
RESULTS = ["follow_up", "project_idea", "partnership", "nothing", ""]


@pytest.fixture
def past_meeting(organizer):
    """Yesterday's meeting (slug "meet", three days: the last one still to come)."""
    meeting = past_b2b_meeting(slug="meet", days=3)
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    return meeting


def participant(meeting, name: str, *, region: str = "", sectors=(), registration_region=""):
    """A person whose profile names ``region`` (the registration ``registration_region``)."""
    registration = person(meeting, first_name=name, last_name="Test", region=registration_region)
    Profile.objects.filter(registration=registration).update(region=region)
    for sector in sectors:
        registration.b2b_profile.sectors.add(
            Sector.objects.get_or_create(meeting=meeting, name=sector)[0]
        )
    return registration


def session_slots(meeting, start: str, day: int = 0):
    session = b2b_session_add(meeting, day=day, start=start, tables=3)
    return list(session.slots.order_by("position"))


@pytest.fixture
def answered(past_meeting):
    """Ten meetings and their answers (see each line); the numbers the tests expect follow."""
    meeting = past_meeting
    ana = participant(meeting, "Ana", region="ES-NC", sectors=["Energy"])
    ben = participant(meeting, "Ben", region="ES-PV", sectors=["Energy", "Mobility"])
    cai = participant(meeting, "Cai", region="ES-NC")
    dan = participant(meeting, "Dan", region="ES-AS", sectors=["Mobility"])
    eve = participant(meeting, "Eve", registration_region="ES-CT")
    fay = participant(meeting, "Fay")
    gus = participant(meeting, "Gus", region="ES-MD")
    hal = participant(meeting, "Hal", region="ES-NC", sectors=["Energy"])
    first, second, third = slots(meeting)
    evening = session_slots(meeting, "17:00")
    tomorrow = session_slots(meeting, "10:00", day=2)
    after = evening[-1].ends_at

    def answer(request, who, held, result=""):
        outcome_record(request=request, registration=who, held=held, result=result, now=after)

    m1 = meet(ana, ben, first)  # held: both say so
    answer(m1, ana, True, "partnership")
    answer(m1, ben, True, "follow_up")
    m2 = meet(cai, dan, first)  # held: one says so, the other is silent
    answer(m2, cai, True, "project_idea")
    m3 = meet(ana, cai, second)  # disputed
    answer(m3, ana, True, "nothing")
    answer(m3, cai, False)
    m4 = meet(ben, dan, second)  # not held: both say so
    answer(m4, ben, False)
    answer(m4, dan, False)
    meet(eve, fay, second)  # no answer
    m6 = meet(ana, dan, third)  # held; Ana gives no outcome
    answer(m6, ana, True)
    answer(m6, dan, True, "follow_up")
    m7 = meet(ben, eve, third)  # held
    answer(m7, eve, True, "partnership")
    m8 = meet(cai, fay, third)  # held, with someone of no region
    answer(m8, cai, True, "nothing")
    m9 = meet(ana, hal, evening[0])  # held, within one region
    answer(m9, ana, True, "project_idea")
    answer(m9, hal, True, "follow_up")
    m10 = meet(gus, eve, first)  # Gus answered, then left the meeting: not counted
    answer(m10, gus, True, "partnership")
    registration_cancel(registration=gus)
    meet(ben, cai, tomorrow[0])  # still to come
    return meeting, {"ana": ana, "ben": ben}


def test_every_number_matches_the_recorded_answers(answered):
    meeting, _ = answered

    report = outcome_report(meeting=meeting)

    assert (report.scheduled, report.past, report.upcoming) == (10, 9, 1)
    assert report.verdicts == {"held": 6, "not_held": 1, "disputed": 1, "no_answer": 1}
    assert (report.answers, report.possible_answers, report.answer_rate) == (13, 18, 72.2)
    assert (report.results.counts, report.results.total) == ([3, 2, 2, 2, 1], 10)
    assert [(row.label, row.counts, row.total) for row in report.by_region] == [
        ("Principado de Asturias", [1, 0, 0, 0, 0], 1),
        ("Cataluña", [0, 0, 1, 0, 0], 1),
        ("Comunidad Foral de Navarra", [1, 2, 1, 2, 1], 7),
        ("País Vasco", [1, 0, 0, 0, 0], 1),
    ]
    assert [(row.label, row.counts, row.total) for row in report.by_sector] == [
        ("Energy", [2, 1, 1, 1, 1], 6),
        ("Mobility", [2, 0, 0, 0, 0], 2),
        ("No sector given", [0, 1, 1, 1, 0], 3),
    ]


def test_the_matrix_counts_held_meetings_between_regions_both_ways(answered):
    meeting, _ = answered

    matrix = outcome_report(meeting=meeting).matrix

    assert matrix.labels == [
        "Principado de Asturias",
        "Cataluña",
        "Comunidad Foral de Navarra",
        "País Vasco",
        "No region given",
    ]
    assert matrix.cells == [
        [0, 0, 2, 0, 0],
        [0, 0, 0, 1, 0],
        [2, 0, 1, 1, 1],
        [0, 1, 1, 0, 0],
        [0, 0, 1, 0, 0],
    ]
    assert matrix.totals == [2, 1, 5, 2, 1]
    assert matrix.held == 6


def test_the_page_shows_the_numbers_and_says_how_they_are_counted(answered, organizer_client):
    response = organizer_client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    for stat, value in [
        ("scheduled", "10"),
        ("held", "6"),
        ("not_held", "1"),
        ("disputed", "1"),
        ("no_answer", "1"),
        ("answer-rate", "72.2 %"),
        ("answers", "13 answers of 18"),
        ("matrix-held", "<strong>6</strong>"),
    ]:
        assert f'data-stat="{stat}">{value}<' in html, stat
    assert "1 still to come" in html
    assert "at least one of the two says so and neither says it did not" in html
    assert "in the region and sectors of the person who gave it" in html
    assert 'href="/meetings/meet/manage/b2b/outcomes/meetings.csv"' in html


def test_the_page_reads_in_the_same_number_of_queries_for_one_or_many_meetings(
    past_meeting, organizer_client
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert organizer_client.get(PAGE).status_code == 200
        return len(captured)

    people = [
        participant(past_meeting, f"P{n}", region="ES-NC", sectors=["Energy"]) for n in range(6)
    ]
    first = meet(people[0], people[1], slots(past_meeting)[0])
    outcome_record(request=first, registration=people[0], held=True, result="partnership")
    one = queries()
    for a, b in [(2, 3), (4, 5)]:
        request = meet(people[a], people[b], slots(past_meeting)[1])
        outcome_record(request=request, registration=people[a], held=True, result="nothing")
        outcome_record(request=request, registration=people[b], held=False)

    assert queries() == one


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="b2b-')
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_meetings_csv_has_one_row_per_meeting_with_both_answers(answered, organizer_client):
    meeting, people = answered

    rows = read_csv(organizer_client.get(MEETINGS_CSV))

    person = ["name", "organisation", "region", "sectors", "took place", "outcome", "note"]
    assert rows[0] == [
        "time",
        "session",
        "table",
        "verdict",
        *(f"person A: {label}" for label in person),
        *(f"person B: {label}" for label in person),
    ]
    assert len(rows) == 1 + 9
    ana, ben = people["ana"], people["ben"]
    assert rows[1] == [
        f"{meeting.starts_on:%Y-%m-%d} 15:00",
        "B2B meetings 15:00",
        "1",
        "Took place",
        "Ana Test",
        ana.b2b_profile.organization.name,
        "Comunidad Foral de Navarra",
        "Energy",
        "yes",
        "Partnership",
        "",
        "Ben Test",
        ben.b2b_profile.organization.name,
        "País Vasco",
        "Energy; Mobility",
        "yes",
        "Follow-up planned",
        "",
    ]


def test_the_matrix_csv_is_the_matrix_on_the_page(answered, organizer_client):
    rows = read_csv(organizer_client.get(MATRIX_CSV))

    assert rows == [
        [
            "",
            "Principado de Asturias",
            "Cataluña",
            "Comunidad Foral de Navarra",
            "País Vasco",
            "No region given",
            "Total",
        ],
        ["Principado de Asturias", "0", "0", "2", "0", "0", "2"],
        ["Cataluña", "0", "0", "0", "1", "0", "1"],
        ["Comunidad Foral de Navarra", "2", "0", "1", "1", "1", "5"],
        ["País Vasco", "0", "1", "1", "0", "0", "2"],
        ["No region given", "0", "0", "1", "0", "0", "1"],
        ["Meetings held", "", "", "", "", "", "6"],
    ]


def test_hostile_text_stays_in_its_cell_and_never_runs_as_a_formula(past_meeting, organizer_client):
    ana = participant(past_meeting, HOSTILE, sectors=["+SUM(A1:A9)"])
    ana.b2b_profile.organization.name = HOSTILE
    ana.b2b_profile.organization.save()
    ben = participant(past_meeting, "-Ben")
    slot = slots(past_meeting)[0]
    table = slot.b2b_session.tables.order_by("position").first()
    table.name = "@Table"
    table.save()
    request = meet(ana, ben, slot)
    outcome_record(request=request, registration=ana, held=True, note='=HYPERLINK("x")\nline 2')
    outcome_record(request=request, registration=ben, held=True, note="+" + "L" * 999)

    [header, row] = read_csv(organizer_client.get(MEETINGS_CSV))

    cells = dict(zip(header, row, strict=True))
    assert cells["table"] == "'@Table"
    assert (
        cells["person A: name"]
        == "'=cmd|' /C calc'!A0 BEL ESC [31m evil zerowidth <b>&amp;</b> Test"
    )
    assert cells["person A: organisation"] == cells["person A: name"].removesuffix(" Test")
    assert cells["person A: sectors"] == "'+SUM(A1:A9)"
    assert cells["person A: note"] == '\'=HYPERLINK("x")\nline 2'
    assert cells["person B: name"] == "'-Ben Test"
    assert cells["person B: note"] == "'+" + "L" * 999
    # And the page shows it as text.
    html = organizer_client.get(PAGE).content.decode()
    assert "<b>&amp;</b>" not in html


@pytest.mark.parametrize("url", [PAGE, MEETINGS_CSV, MATRIX_CSV])
def test_only_the_meetings_organizers_get_in(past_meeting, client, url):
    assert client.get(url).status_code == 302  # to the login page
    other = UserFactory(username="other-org")
    MeetingOrganizerFactory(meeting=MeetingFactory(), user=other)
    client.force_login(other)
    assert client.get(url).status_code == 403
    client.force_login(participant_user(past_meeting))
    assert client.get(url).status_code == 403
