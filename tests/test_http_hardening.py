"""Headers every response carries (CSP, Permissions-Policy), pages with no inline script
or style the policy would block, TRACE refused, and `check --deploy` clean with the
production settings documented in docs/deployment.md."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import html

from agenda.models import Session, Speaker
from events.models import Meeting
from tests.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# What docs/deployment.md tells an operator to set (besides database, broker, email).
PRODUCTION = {
    "DEBUG": "0",
    "SITE_URL": "https://meetings.example.org",
    "ALLOWED_HOSTS": "meetings.example.org",
    "BEHIND_TLS_PROXY": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "EMAIL_HOST": "smtp.example.org",
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    return Meeting.objects.get(slug="intercluster-next")


@pytest.fixture
def root_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def site_pages(meeting) -> list[str]:
    session = Session.objects.filter(meeting=meeting, track__isnull=False).first()
    speaker = Speaker.objects.filter(meeting__slug="intercluster-2019").first()
    registration = RegistrationFactory(meeting=meeting)
    base = f"/meetings/{meeting.slug}"
    return [
        "/",
        f"{base}/",
        f"{base}/agenda/?day=2027-01-13",
        f"{base}/sessions/{session.pk}/",
        "/meetings/intercluster-2019/speakers/",
        f"/meetings/intercluster-2019/speakers/{speaker.slug}/",
        f"{base}/register/",
        f"/r/{registration.token}/",
        f"/r/{registration.token}/cancel/",
        "/accounts/login/",
        "/manage/",
        f"{base}/manage/",
        f"{base}/manage/participants/",
        f"{base}/manage/messages/new/",
        f"{base}/manage/settings/",
        f"{base}/board/?day=2027-01-19",
        "/admin/",
        "/admin/events/meeting/",
        "/admin/registrations/registration/",
        f"/admin/registrations/registration/{registration.pk}/change/",
        "/admin/mail/outboxmessage/",
        "/admin/axes/accessattempt/",
    ]


def directives(header: str, *, nonce: bool = False) -> dict[str, str]:
    """The policy as {directive: sources}, the per-response nonce left out unless asked."""
    if not nonce:
        header = re.sub(r" 'nonce-[^']+'", "", header)
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(parts)


def blocked_inline(page: bytes, policy: str) -> list[str]:
    """What in the page a browser would block under ``policy``: inline scripts, event
    handler attributes, style attributes, <style> without the policy's nonce."""
    nonces = set(re.findall(r"'nonce-([^']+)'", policy))
    tree = html.fromstring(page)
    found = [f"<script> {s.text[:40]!r}" for s in tree.iter("script") if not s.get("src")]
    found += [
        f"<{el.tag} {name}>"
        for el in tree.iter()
        if isinstance(el.tag, str)
        for name in el.attrib
        if name == "style" or name.startswith("on")
    ]
    found += [
        f"<style> {s.text[:40]!r}" for s in tree.iter("style") if s.get("nonce") not in nonces
    ]
    return found


def test_every_page_has_the_policy_and_nothing_inline_that_it_blocks(demo, root_client):
    problems = {}
    for path in site_pages(demo):
        response = root_client.get(path)
        policy = response.get("Content-Security-Policy", "")
        found = {
            "status": response.status_code,
            "policy": directives(policy),
            "blocked": blocked_inline(response.content, policy),
        }
        if found != {"status": 200, "policy": POLICY, "blocked": []}:
            problems[path] = found
    assert problems == {}


def test_track_colours_come_in_a_style_block_with_the_responses_nonce(demo, client):
    session = Session.objects.filter(meeting=demo, track__isnull=False).order_by("starts_at")[0]
    track = session.track
    day = session.starts_at.astimezone(demo.tzinfo).date()
    response = client.get(f"/meetings/{demo.slug}/agenda/?day={day}")
    nonce = re.search(r"style-src 'self' 'nonce-([^']+)'", response["Content-Security-Policy"])
    style = html.fromstring(response.content).find(".//style")

    assert style.get("nonce") == nonce.group(1)
    assert f".track-{track.pk} {{ --track: {track.colour}; }}" in style.text
    assert f'class="session-card is-{session.status} track-{track.pk}"' in response.content.decode()


def test_each_response_gets_its_own_nonce(demo, client):
    url = f"/meetings/{demo.slug}/agenda/"
    first = client.get(url)["Content-Security-Policy"]
    second = client.get(url)["Content-Security-Policy"]
    assert "'nonce-" in first
    assert first != second


def test_a_page_without_a_style_block_carries_no_nonce(client, demo):
    assert directives(client.get("/")["Content-Security-Policy"], nonce=True) == POLICY


@pytest.mark.parametrize(
    "path", ["/", "/api/v1/meetings/", "/no-such-page/", "/admin/login/", "/calendar/x.ics"]
)
def test_every_response_has_the_policy_and_the_permissions_policy(client, path):
    response = client.get(path)
    assert directives(response["Content-Security-Policy"], nonce=True) == POLICY
    assert response["Permissions-Policy"] == PERMISSIONS


def test_the_api_docs_have_their_own_policy_and_a_script_file(client):
    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")
    tree = html.fromstring(page.content)

    assert page.status_code == 200
    assert directives(page["Content-Security-Policy"], nonce=True) == {
        **POLICY,
        "style-src": "'self' 'unsafe-inline'",
    }
    assert [s.get("src") for s in tree.iter("script")][-1] == "/api/docs/?script="
    assert [s for s in tree.iter("script") if not s.get("src")] == []
    assert (script.status_code, script["Content-Type"]) == (200, "application/javascript")
    assert b"SwaggerUIBundle" in script.content


@pytest.mark.parametrize("method", ["TRACE", "TRACK"])
@pytest.mark.parametrize(
    "path", ["/", "/api/v1/meetings/", "/admin/login/", "/accounts/login/", "/no-such-page/"]
)
def test_trace_is_refused_everywhere(client, method, path):
    response = client.generic(method, path, HTTP_X_SECRET="echo-me")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE"
    assert b"echo-me" not in response.content
    # The refusal carries the same security headers as every other answer.
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
        assert header in response.headers, header


def test_trace_on_a_private_link_is_refused(client, demo):
    registration = RegistrationFactory(meeting=demo)
    assert client.generic("TRACE", f"/r/{registration.token}/").status_code == 405


def test_behind_the_tls_proxy_plain_http_is_redirected_and_https_gets_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    plain = client.get("/", HTTP_X_FORWARDED_PROTO="http")
    secure = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def run(command: list[str], **env_overrides) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is no production setting either.
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SECRET_KEY"}
        and key not in PRODUCTION
    }
    env.update(SECRET_KEY="production-like-" + "k3y" * 20, **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = run(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_names_what_is_missing_without_them():
    result = run(["check", "--deploy", "--fail-level", "WARNING"], DEBUG="0")
    assert result.returncode != 0
    warnings = set(re.findall(r"security\.W\d+", result.stderr))
    assert warnings == {"security.W004", "security.W008", "security.W012", "security.W016"}


def test_the_https_settings_are_read_from_the_environment():
    result = run(
        [
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
            "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, "
            "s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)",
        ],
        **PRODUCTION,
        LOGIN_FAILURE_LIMIT="8",
        LOGIN_COOLOFF_MINUTES="30",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "True 31536000 True True True True ('HTTP_X_FORWARDED_PROTO', 'https') 8 0:30:00"
    )
