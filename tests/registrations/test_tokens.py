"""The two secrets of a registration: the private link and the read-only calendar feed.

Stored as a SHA-256 for the lookup and sealed for the links we build; never in clear text.
"""

import logging
import re

import lxml.html
import pytest
from django.db import connection

from mail.models import OutboxMessage
from registrations.emails import build_email
from registrations.models import Registration
from registrations.services import (
    registration_cancel,
    registration_feed_token_rotate,
    registration_token_rotate,
)
from registrations.tokens import token_hash
from tests.factories import RegistrationFactory, SessionBookingFactory
from tests.roundtrip import resubmit

pytestmark = pytest.mark.django_db

# Within the column (first_name: 100 characters), so it fits on PostgreSQL too.
HOSTILE_NAME = "Ane\r\nBcc: x@example.org\x07\x1b\u202e\u200b" + "n" * 60


def row_values(registration: Registration) -> list[str]:
    """Every column of the registration's row as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {Registration._meta.db_table} WHERE id = %s", [registration.pk]
        )
        return [str(value) for value in cursor.fetchone()]


def page_links(html: str) -> list[str]:
    document = lxml.html.fromstring(html)
    return [*document.xpath("//a/@href"), *document.xpath("//input/@value")]


def test_the_database_holds_neither_token_in_clear_text():
    """A dump of the table gives no working link: only hashes and sealed values."""
    registration = RegistrationFactory()

    values = " ".join(row_values(registration))

    assert registration.token not in values
    assert registration.feed_token not in values
    assert token_hash(registration.token) in values
    assert token_hash(registration.feed_token) in values
    assert registration.token != registration.feed_token
    assert len(registration.token) == len(registration.feed_token) == 43  # 256 bits


def test_the_private_link_token_is_refused_on_the_feed_and_the_feed_token_on_the_link(client):
    """The feed token reads the agenda and nothing else; the private token is not a feed."""
    registration = RegistrationFactory()

    assert client.get(f"/calendar/{registration.token}.ics").status_code == 404
    assert client.get(f"/calendar/{registration.feed_token}.ics").status_code == 200
    assert client.get(f"/r/{registration.feed_token}/").status_code == 404
    assert client.post(f"/r/{registration.feed_token}/cancel/").status_code == 404
    assert client.get(f"/r/{registration.token}/").status_code == 200
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_every_calendar_link_on_the_private_page_carries_the_feed_token(client):
    """Subscribe, Google, download and the address to copy: the feed token, never the private
    one; the private token appears only in our own same-site links and forms."""
    registration = RegistrationFactory(first_name=HOSTILE_NAME)
    SessionBookingFactory(registration=registration)

    html = client.get(f"/r/{registration.token}/").content.decode()

    links = page_links(html)
    calendar_links = [link for link in links if "calendar" in link]
    assert len(calendar_links) == 4
    for link in calendar_links:
        assert registration.feed_token in link
        assert registration.token not in link
    external = [link for link in links if re.match(r"(https?|webcal)://", link)]
    assert external  # webcal, Google, the address to copy
    assert all(registration.token not in link for link in external)


def test_emails_carry_the_private_link_and_never_the_token_on_the_feed(settings):
    """The private link is built at send time from the sealed token and works, in the
    email's language (the meeting's Spanish here: /es/); no email puts the private token
    into a calendar address."""
    registration = RegistrationFactory(first_name=HOSTILE_NAME)
    SessionBookingFactory(registration=registration)
    registration_cancel(registration=registration)
    message = OutboxMessage.objects.get(kind="registration_cancelled")

    email = build_email(message)

    bodies = [email.body, *(content for content, _type in email.alternatives)]
    text = "\n".join(str(body) for body in bodies)
    assert f"{settings.SITE_URL}/es/r/{registration.token}/" in text
    assert f"/calendar/{registration.token}" not in text
    for _name, content, _type in email.attachments:
        data = content.decode() if isinstance(content, bytes) else content
        assert registration.token not in data


def test_new_calendar_address_from_the_page_keeps_the_private_link(client):
    """The page's "New calendar address" form, posted as shown: the old feed stops, the new
    one works and is what the page shows now; the private link is unchanged, no email."""
    registration = RegistrationFactory()
    old_feed, private = registration.feed_token, registration.token
    outbox_before = OutboxMessage.objects.count()

    response = resubmit(
        client, f"/r/{private}/", choice={"action": "/calendar-reset/"}, button=None
    )

    assert response.status_code == 302
    assert response["Location"] == f"/r/{private}/#personal-calendar"
    page = client.get(response["Location"]).content.decode()
    registration.refresh_from_db()
    assert registration.token == private
    assert registration.feed_token != old_feed
    assert f"/calendar/{registration.feed_token}.ics" in page
    assert old_feed not in page
    assert "Your calendar has a new address." in page
    assert client.get(f"/calendar/{old_feed}.ics").status_code == 404
    assert client.get(f"/calendar/{registration.feed_token}.ics").status_code == 200
    assert OutboxMessage.objects.count() == outbox_before


def test_new_calendar_address_needs_the_private_link(client):
    """The feed token cannot rotate anything, and a made-up token gets a 404."""
    registration = RegistrationFactory()
    old_feed = registration.feed_token

    assert client.post(f"/r/{registration.feed_token}/calendar-reset/").status_code == 404
    assert client.post(f"/r/{'x' * 43}/calendar-reset/").status_code == 404
    assert client.get(f"/r/{registration.token}/calendar-reset/").status_code == 405
    registration.refresh_from_db()
    assert registration.feed_token == old_feed


def test_rotating_the_private_link_rotates_the_feed_too():
    """Whoever had the old private link could read the feed address on its page."""
    registration = RegistrationFactory()
    old_private, old_feed = registration.token, registration.feed_token

    rotated = registration_token_rotate(registration=registration)

    registration.refresh_from_db()
    assert (registration.token, registration.feed_token) == (rotated.token, rotated.feed_token)
    assert registration.token != old_private
    assert registration.feed_token != old_feed
    [message] = OutboxMessage.objects.filter(kind="private_link")
    assert old_private[:16] not in message.dedupe_key
    assert registration.token[:16] not in message.dedupe_key
    assert f"/r/{registration.token}/" in build_email(message).body


def test_rotating_the_feed_alone_keeps_the_private_link():
    registration = RegistrationFactory()
    old_private, old_feed = registration.token, registration.feed_token

    registration_feed_token_rotate(registration=registration)

    registration.refresh_from_db()
    assert registration.token == old_private
    assert registration.feed_token != old_feed


def test_sealed_tokens_open_with_a_retired_key_in_the_fallbacks(settings):
    """Rotating SECRET_KEY with the old one in SECRET_KEY_FALLBACKS keeps every link."""
    registration = RegistrationFactory()
    private, feed = registration.token, registration.feed_token
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-the-rotation-test-0123456789abcdef"

    reloaded = Registration.objects.get(pk=registration.pk)

    assert (reloaded.token, reloaded.feed_token) == (private, feed)


def test_a_seal_no_key_opens_is_a_404_and_a_warning_without_the_token(client, settings, caplog):
    """SECRET_KEY changed without its old value in SECRET_KEY_FALLBACKS: the links made
    under the old key answer 404, like an unknown token, not 500; the log says which
    registration, never its token."""
    registration = RegistrationFactory()
    private, feed = registration.token, registration.feed_token
    settings.SECRET_KEY = "a-new-secret-key-for-the-lost-key-test-0123456789abcdef"
    settings.SECRET_KEY_FALLBACKS = []

    with caplog.at_level(logging.WARNING, logger="registrations"):
        responses = [
            client.get(f"/r/{private}/"),
            client.post(f"/r/{private}/cancel/"),
            client.get(f"/calendar/{feed}.ics"),
        ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    warnings = [record for record in caplog.records if record.name.startswith("registrations")]
    assert [record.levelno for record in warnings] == [logging.WARNING] * 3
    assert all(str(registration.pk) in record.getMessage() for record in warnings)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert private not in logged and feed not in logged
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
