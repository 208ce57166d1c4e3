"""Too many wrong passwords lock one username out from one address, on both logins
(the site's and the admin's), for the cool-off time; nobody else is locked."""

import datetime as dt
import io

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from tests.roundtrip import resubmit

pytestmark = pytest.mark.django_db

LOGINS = ["/accounts/login/", "/admin/login/"]
LIMIT = 5  # LOGIN_FAILURE_LIMIT's default
LOCKED = "This username has had too many wrong passwords from your address"


@pytest.fixture
def staff():
    return UserFactory(username="org", is_staff=True)


def log_in(client, url, username="org", password="secret-password"):
    return resubmit(client, url, username=username, password=password)


def fail(client, url, times=LIMIT, username="org"):
    for _ in range(times):
        response = log_in(client, url, username=username, password="wrong-password")
        if response.status_code == 429:
            return response
        assert response.status_code == 200
    return response


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", LOGINS)
def test_the_right_password_is_refused_after_too_many_wrong_ones(client, staff, url):
    last_wrong = fail(client, url)
    response = log_in(client, url)

    assert last_wrong.status_code == 429
    assert (response.status_code, response["Retry-After"]) == (429, "900")
    page = response.content.decode()
    assert LOCKED in page
    assert "paused for 15 minutes" in page
    assert not logged_in(client)


@pytest.mark.parametrize("url", LOGINS)
def test_one_wrong_password_fewer_than_the_limit_still_lets_the_right_one_in(client, staff, url):
    fail(client, url, times=LIMIT - 1)
    response = log_in(client, url)
    assert response.status_code == 302
    assert logged_in(client)


def test_another_username_from_the_same_address_is_not_locked(client, staff):
    UserFactory(username="colleague", is_staff=True)
    fail(client, "/accounts/login/")

    response = log_in(client, "/accounts/login/", username="colleague")

    assert (response.status_code, response["Location"]) == (302, "/manage/")
    assert logged_in(client)


def test_the_same_username_from_another_address_is_not_locked(client, staff):
    fail(client, "/accounts/login/")
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")

    response = log_in(elsewhere, "/accounts/login/")

    assert response.status_code == 302
    assert logged_in(elsewhere)


def test_a_lockout_on_the_site_login_holds_on_the_admin_login_too(client, staff):
    fail(client, "/accounts/login/")
    response = log_in(client, "/admin/login/")
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_lockout_ends_after_the_cool_off(client, staff):
    fail(client, "/accounts/login/")
    assert log_in(client, "/accounts/login/").status_code == 429
    # Sixteen minutes pass (the cool-off is 15): the attempts are that old now.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    response = log_in(client, "/accounts/login/")

    assert response.status_code == 302
    assert logged_in(client)


def test_a_try_during_the_lockout_starts_the_cool_off_again(client, staff):
    fail(client, "/accounts/login/")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=14))
    assert log_in(client, "/accounts/login/").status_code == 429
    # Two more minutes: 16 since the first failures, 2 since the last try.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=2))

    assert log_in(client, "/accounts/login/").status_code == 429


def test_a_successful_login_clears_the_earlier_failures(client, staff):
    fail(client, "/accounts/login/", times=LIMIT - 1)
    assert log_in(client, "/accounts/login/").status_code == 302
    client.post("/accounts/logout/")

    fail(client, "/accounts/login/", times=LIMIT - 1)
    assert log_in(client, "/accounts/login/").status_code == 302


def test_limit_and_cool_off_come_from_the_settings(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=60)
    fail(client, "/accounts/login/", times=2)

    response = log_in(client, "/accounts/login/")

    assert (response.status_code, response["Retry-After"]) == (429, "3600")
    assert "paused for 60 minutes" in response.content.decode()


def test_a_forged_forwarded_for_does_not_escape_the_lockout(staff):
    """Without NUM_PROXIES, X-Forwarded-For is the client's own claim: ignored."""
    for n in range(LIMIT):
        forged = Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        fail(forged, "/accounts/login/", times=1)

    response = log_in(Client(HTTP_X_FORWARDED_FOR="203.0.113.200"), "/accounts/login/")

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_a_declared_proxy_the_forwarded_address_is_the_client(staff, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    attacker = Client(HTTP_X_FORWARDED_FOR="203.0.113.9")
    fail(attacker, "/accounts/login/")
    assert log_in(attacker, "/accounts/login/").status_code == 429

    # Same proxy (REMOTE_ADDR), another client behind it: not locked.
    colleague = Client(HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert log_in(colleague, "/accounts/login/").status_code == 302
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


def test_a_forwarded_for_that_is_no_address_is_counted_on_the_proxy_address(staff, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = Client(HTTP_X_FORWARDED_FOR="\u202enot-an-address\x07")
    fail(client, "/accounts/login/")

    assert log_in(client, "/accounts/login/").status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


@pytest.mark.parametrize(
    "username",
    [
        "org\r\nSet-Cookie: x=1",
        "org\x07\x1b[31m",
        "\u202eorg\u200b",
        "o" * 5000,
    ],
)
def test_hostile_usernames_are_counted_and_refused_without_an_error(client, staff, username):
    last_wrong = fail(client, "/accounts/login/", username=username)
    page = last_wrong.content.decode()

    assert last_wrong.status_code == 429
    assert LOCKED in page
    assert username[:150] not in page
    assert log_in(client, "/accounts/login/").status_code == 302


def test_the_demo_organizer_still_logs_in_on_both_logins():
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    for url in LOGINS:
        response = log_in(Client(), url, username="organizer", password="intercluster")
        assert response.status_code == 302, url


# --- who counts as one address: IPv4 per address, IPv6 per /64 ------------------------------


@pytest.mark.parametrize(
    ("failing", "other", "locked", "recorded"),
    [
        # Another address in the same IPv6 /64 is the same client: locked too.
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff::7", True, "2001:db8:1:2::"),
        # The next /64 is somebody else.
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False, "2001:db8:1:2::"),
        # IPv4: per address, as before.
        ("192.0.2.1", "192.0.2.2", False, "192.0.2.1"),
        ("192.0.2.1", "192.0.2.1", True, "192.0.2.1"),
        # An IPv4-mapped IPv6 address is the IPv4 address.
        ("::ffff:192.0.2.1", "192.0.2.1", True, "192.0.2.1"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.2", False, "192.0.2.1"),
    ],
)
def test_the_lockout_counts_an_ipv6_client_per_64_and_ipv4_per_address(
    staff, failing, other, locked, recorded
):
    fail(Client(REMOTE_ADDR=failing), "/accounts/login/")
    elsewhere = Client(REMOTE_ADDR=other)

    response = log_in(elsewhere, "/accounts/login/")

    assert response.status_code == (429 if locked else 302)
    assert logged_in(elsewhere) is not locked
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [recorded]


def test_failures_spread_over_one_64_add_up_to_a_lockout(staff):
    for n in range(LIMIT):
        fail(Client(REMOTE_ADDR=f"2001:db8:aa:bb::{n + 1:x}"), "/accounts/login/", times=1)

    response = log_in(Client(REMOTE_ADDR="2001:db8:aa:bb:1234:5678:9abc:def0"), "/accounts/login/")

    assert response.status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == LIMIT + 1  # the locked try too


def test_behind_a_declared_proxy_a_forwarded_ipv6_client_counts_per_64(staff, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    fail(Client(HTTP_X_FORWARDED_FOR="2001:db8:9:9::1"), "/accounts/login/")

    neighbour = log_in(Client(HTTP_X_FORWARDED_FOR="2001:db8:9:9::2"), "/accounts/login/")
    next_network = Client(HTTP_X_FORWARDED_FOR="2001:db8:9:a::1")

    assert neighbour.status_code == 429
    assert log_in(next_network, "/accounts/login/").status_code == 302
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["2001:db8:9:9::"]
