"""One-line fields refuse controls and invisible marks everywhere they are written; long
texts have a limit; the builders' cleaners make any stored text safe."""

import pytest
from django.core.exceptions import ValidationError

from events.models import Meeting, Organization, Room, Venue
from events.text import LONG_TEXT_MAX_LENGTH, multi_line, one_line, validate_one_line
from tests.factories import MeetingFactory, OrganizationFactory, RoomFactory, VenueFactory

ONE_LINE_ERROR = (
    "Use one line of plain text: no line breaks, control characters or invisible direction marks."
)
UNSAFE = [
    "\r",
    "\n",
    "\t",
    "\x07",
    "\x1b",
    "\x00",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200f",
    "\ufeff",
]


@pytest.mark.parametrize("character", UNSAFE)
def test_one_line_refuses_controls_bidi_and_zero_width(character):
    with pytest.raises(ValidationError) as caught:
        validate_one_line(f"Opening{character}session")

    assert caught.value.messages == [ONE_LINE_ERROR]


@pytest.mark.parametrize(
    "text", ["Apertura: «Clústeres» & cadenas de valor", "Übersicht — 日本語 — عربي", "🙂 x" * 60]
)
def test_one_line_accepts_any_printable_text(text):
    validate_one_line(text)


def test_one_line_cleaner_turns_controls_into_spaces_and_drops_invisible_marks():
    assert one_line("  A\r\nB\x07C\u202eD\u200bE\tF\u2028G  ") == "A B CDE F G"


def test_one_line_cleaner_composes_accents():
    assert one_line("Cafe\u0301") == "Café"


def test_multi_line_cleaner_keeps_line_breaks_and_drops_other_controls():
    assert multi_line("One\r\nTwo\rThree\n\tFour\x07\x1b\u202e\u200b") == "One\nTwo\nThree\n\tFour"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: MeetingFactory(), "title"),
        (lambda: OrganizationFactory(), "name"),
        (lambda: OrganizationFactory(), "short_name"),
        (lambda: VenueFactory(), "name"),
        (lambda: VenueFactory(), "address"),
        (lambda: VenueFactory(), "city"),
        (lambda: RoomFactory(), "name"),
    ],
)
def test_models_refuse_a_line_break_in_one_line_fields(make, field):
    """The model's validator, so the admin and every ModelForm refuse it with a field error."""
    instance = make()
    setattr(instance, field, "Intercluster\nBcc: x@evil.example")

    with pytest.raises(ValidationError) as caught:
        instance.full_clean()

    assert caught.value.message_dict == {field: [ONE_LINE_ERROR]}


@pytest.mark.django_db
def test_meeting_description_keeps_line_breaks_up_to_the_limit():
    meeting = MeetingFactory(description="x")
    text = "First line.\r\n\r\nSecond paragraph."
    meeting.description = text + "x" * (LONG_TEXT_MAX_LENGTH - len(text))

    meeting.full_clean()
    meeting.save()

    meeting.refresh_from_db()
    assert meeting.description.startswith("First line.\r\n\r\nSecond paragraph.xxx")


@pytest.mark.django_db
def test_meeting_description_of_a_megabyte_is_refused():
    meeting = MeetingFactory()
    meeting.description = "x" * 1_000_000

    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()

    assert caught.value.message_dict == {
        "description": ["Ensure this value has at most 10000 characters (it has 1000000)."]
    }


@pytest.mark.django_db
def test_meeting_contact_email_with_an_ip_literal_is_refused():
    meeting = MeetingFactory()
    meeting.contact_email = "info@[127.0.0.1]"

    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()

    assert caught.value.message_dict == {
        "contact_email": ["Use an email address with a domain name, not an IP address."]
    }


@pytest.mark.django_db
def test_contact_address_of_an_old_row_with_a_line_break_is_none():
    meeting = MeetingFactory()
    Meeting.objects.filter(pk=meeting.pk).update(contact_email="a@example.org\r\nBcc: b@x.org")
    meeting.refresh_from_db()

    assert meeting.contact_address == ""
    assert MeetingFactory(contact_email="info@example.org").contact_address == "info@example.org"


def test_every_one_line_model_field_has_the_validator():
    names = {
        (model.__name__, name)
        for model in (Meeting, Organization, Venue, Room)
        for name in ("title", "name", "short_name", "address", "city", "country")
        if name in {field.name for field in model._meta.fields}
        and validate_one_line in model._meta.get_field(name).validators
    }
    assert names == {
        ("Meeting", "title"),
        ("Organization", "name"),
        ("Organization", "short_name"),
        ("Venue", "name"),
        ("Venue", "address"),
        ("Venue", "city"),
        ("Venue", "country"),
        ("Room", "name"),
    }
