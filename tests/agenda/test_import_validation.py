"""Agenda import refuses what the columns cannot hold: a RowError naming the line or item and
the reason, never a 500 or a stored repr, and (all or nothing) no row is saved."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from agenda.models import Session

pytestmark = pytest.mark.django_db

GOOD_CSV = "ok1,Fine,\n"
GOOD_JSON = {"external_id": "ok1", "title": "Fine"}

# (file name, content, the one problem reported); each file also holds a good first row.
CASES = [
    (
        "unicode-digit.csv",
        "external_id,title,capacity\n" + GOOD_CSV + "c1,Talk,²\n",
        "line 3: capacity '²' is not a whole number",
    ),
    (
        "arabic-digits.csv",
        "external_id,title,capacity\n" + GOOD_CSV + "c1,Talk,٣٠\n",
        "line 3: capacity '٣٠' is not a whole number",
    ),
    (
        "huge-capacity.csv",
        "external_id,title,capacity\n" + GOOD_CSV + "c1,Talk,99999999999999999999\n",
        "line 3: capacity 99999999999999999999 is more than 2147483647",
    ),
    (
        "capacity-2-31.csv",
        "external_id,title,capacity\n" + GOOD_CSV + "c1,Talk,2147483648\n",
        "line 3: capacity 2147483648 is more than 2147483647",
    ),
    (
        "long-title.csv",
        "external_id,title,capacity\n" + GOOD_CSV + f"c1,{'T' * 201},\n",
        "line 3: title is longer than 200 characters",
    ),
    (
        "long-id.csv",
        "external_id,title,capacity\n" + GOOD_CSV + f"{'e' * 101},Talk,\n",
        "line 3: external_id is longer than 100 characters",
    ),
    (
        "nul.csv",
        "external_id,title,capacity\n" + GOOD_CSV + "c1,Ta\x00lk,\n",
        "line 3: title contains a NUL character",
    ),
    (
        "huge-capacity.json",
        json.dumps([GOOD_JSON, {"external_id": "j1", "title": "Talk", "capacity": 10**30}]),
        "item 2: capacity 10000000000000000000… is more than 2147483647",
    ),
    (
        "unicode-digit.json",
        json.dumps([GOOD_JSON, {"external_id": "j1", "title": "Talk", "capacity": "²"}]),
        "item 2: capacity '²' is not a whole number",
    ),
    (
        "float-capacity.json",
        json.dumps([GOOD_JSON, {"external_id": "j1", "title": "Talk", "capacity": 2.5}]),
        "item 2: capacity must be a whole number, not float",
    ),
    (
        "long-id.json",
        json.dumps([GOOD_JSON, {"external_id": "e" * 300, "title": "T"}]),
        "item 2: external_id is longer than 100 characters",
    ),
    (
        "long-title.json",
        json.dumps([GOOD_JSON, {"external_id": "j1", "title": "T" * 300}]),
        "item 2: title is longer than 200 characters",
    ),
    (
        "list-id.json",
        json.dumps([GOOD_JSON, {"external_id": ["x"], "title": "T"}]),
        "item 2: external_id must be text, not list",
    ),
    (
        "object-title.json",
        json.dumps([GOOD_JSON, {"external_id": "j1", "title": {"a": 1}}]),
        "item 2: title must be text, not dict",
    ),
    (
        "number-abstract.json",
        json.dumps([GOOD_JSON, {"external_id": "j1", "title": "T", "abstract": 5}]),
        "item 2: abstract must be text, not int",
    ),
    (
        "object-speakers.json",
        json.dumps([GOOD_JSON, {"external_id": "j1", "title": "T", "speakers": [{"a": 1}]}]),
        "item 2: speakers must be a list of text",
    ),
]
IDS = [case[0] for case in CASES]


@pytest.mark.parametrize(("name", "content", "problem"), CASES, ids=IDS)
def test_command_reports_the_row_and_reason_and_saves_nothing(
    meeting, tmp_path, name, content, problem
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import_agenda", meeting.slug, str(path), stdout=io.StringIO(), stderr=err)

    assert str(error.value) == f"Nothing imported: 1 problem(s) in {name}."
    assert err.getvalue().splitlines() == [problem]
    assert not Session.objects.exists()


@pytest.mark.parametrize(("name", "content", "problem"), CASES, ids=IDS)
def test_board_upload_lists_the_row_and_reason_and_saves_nothing(
    client, organizer, meeting, name, content, problem
):
    client.force_login(organizer)
    response = client.post(
        f"/meetings/{meeting.slug}/board/import/",
        {"file": SimpleUploadedFile(name, content.encode())},
    )

    assert response.status_code == 200
    assert response.context["problems"] == [problem]
    assert not Session.objects.exists()


def test_capacity_at_the_limit_and_json_numbers_are_accepted(meeting, tmp_path):
    """The bounds are inclusive: 0 and 2147483647 (CSV text or a JSON number) are stored."""
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("external_id,title,capacity\nc1,Zero,0\nc2,Max,2147483647\n")
    json_path = tmp_path / "b.json"
    json_path.write_text(json.dumps([{"external_id": "j1", "title": "Num", "capacity": 40}]))

    call_command("import_agenda", meeting.slug, str(csv_path), stdout=io.StringIO())
    call_command("import_agenda", meeting.slug, str(json_path), stdout=io.StringIO())

    assert dict(Session.objects.values_list("external_id", "capacity")) == {
        "c1": 0,
        "c2": 2147483647,
        "j1": 40,
    }


def test_json_number_too_long_to_parse_is_a_clear_problem(meeting, client, organizer):
    client.force_login(organizer)
    content = '[{"external_id": "j1", "title": "T", "capacity": ' + "9" * 5000 + "}]"
    response = client.post(
        f"/meetings/{meeting.slug}/board/import/",
        {"file": SimpleUploadedFile("big.json", content.encode())},
    )
    assert response.status_code == 200
    assert len(response.context["problems"]) == 1
    assert response.context["problems"][0].startswith("not valid JSON (Exceeds the limit")
    assert not Session.objects.exists()
