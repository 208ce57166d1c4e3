"""`manage.py reseal_tokens`: after a SECRET_KEY rotation, the old key can go."""

import io

import pytest
from django.core.management import call_command

from registrations.models import Registration
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

OLD_KEY = "the-old-secret-key-for-the-reseal-test-0123456789abcdef"
NEW_KEY = "the-new-secret-key-for-the-reseal-test-0123456789abcdef"


def reseal(**kwargs) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("reseal_tokens", stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_after_resealing_the_links_open_without_the_old_key(client, settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    registrations = RegistrationFactory.create_batch(3)
    links = {r.pk: (r.token, r.feed_token) for r in registrations}
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    # One made after the rotation: already under the new key.
    newer = RegistrationFactory()
    links[newer.pk] = (newer.token, newer.feed_token)
    before = {row.pk: row for row in Registration.objects.all()}

    assert reseal(batch_size=2) == (
        "Re-sealed 3 registrations under SECRET_KEY; 1 were already sealed under it.\n",
        "",
    )
    # Idempotent: a second run finds nothing to do.
    assert reseal() == (
        "Re-sealed 0 registrations under SECRET_KEY; 4 were already sealed under it.\n",
        "",
    )

    settings.SECRET_KEY_FALLBACKS = []
    for private, feed in links.values():
        assert client.get(f"/r/{private}/").status_code == 200
        assert client.get(f"/calendar/{feed}.ics").status_code == 200
    after = {row.pk: row for row in Registration.objects.all()}
    for pk, row in after.items():
        assert (row.token, row.feed_token) == links[pk]
        assert (row.token_hash, row.feed_token_hash) == (
            before[pk].token_hash,
            before[pk].feed_token_hash,
        )
    assert after[newer.pk].token_sealed == before[newer.pk].token_sealed


def test_without_resealing_dropping_the_old_key_loses_the_links(client, settings):
    """What the command is for: the same rotation, no re-seal, the fallback dropped."""
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    registration = RegistrationFactory()
    private = registration.token
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, []

    assert client.get(f"/r/{private}/").status_code == 404
    out, err = reseal()

    assert out == "Re-sealed 0 registrations under SECRET_KEY; 0 were already sealed under it.\n"
    assert err == (
        "1 registrations have seals no key opens, left as they are (their links answer 404; "
        "put the key they were sealed with back into SECRET_KEY_FALLBACKS and run this "
        f"again): ids {registration.pk}\n"
    )
