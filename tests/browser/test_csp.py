"""Under the Content-Security-Policy every page still works: no violation, no console
error, track colours still shown, the admin and Swagger UI still run their scripts."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from agenda.models import Session, Track
from registrations.models import Registration
from tests.factories import RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collected in the page itself: a violation the console might word differently.
WATCH_VIOLATIONS = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"""


@pytest.fixture
def site(transactional_db, live_server, settings):
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    settings.SITE_URL = live_server.url
    get_user_model().objects.create_superuser("root", "root@example.org", "root-password-1")
    return RegistrationFactory(meeting__slug="csp-meeting")


def log_in(page, live_server, username, password):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/manage/")


def walk(page, live_server, paths):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.add_init_script(WATCH_VIOLATIONS)
    problems = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        found = {
            "status": response.status,
            "csp": "default-src 'self'" in (response.headers.get("content-security-policy") or ""),
            "violations": page.evaluate("window.__violations"),
            "console": list(errors),
        }
        errors.clear()
        if found != {"status": 200, "csp": True, "violations": [], "console": []}:
            problems[path] = found
    return problems


def test_the_workspace_and_the_board_run_under_the_policy(site, live_server, page, screenshot):
    log_in(page, live_server, "organizer", "intercluster")
    base = "/meetings/intercluster-next"
    problems = walk(
        page,
        live_server,
        [
            "/manage/",
            f"{base}/manage/",
            f"{base}/manage/participants/",
            f"{base}/manage/participants/waitlists/",
            f"{base}/manage/messages/",
            f"{base}/manage/messages/new/",
            f"{base}/manage/settings/",
            f"{base}/board/",
            f"{base}/agenda/?day=2027-01-13",
        ],
    )
    assert problems == {}

    # The track colour reaches the cards through the nonce'd style block.
    session = Session.objects.filter(meeting__slug="intercluster-next", track__isnull=False)[0]
    track = Track.objects.get(pk=session.track_id)
    page.goto(f"{live_server.url}{base}/board/?day={session.starts_at.date()}")
    colour = page.locator(f"#session-{session.pk}").evaluate(
        "e => getComputedStyle(e).getPropertyValue('--track').trim()"
    )
    assert colour == track.colour
    screenshot(page, "csp-board")


def test_the_admin_runs_under_the_policy(site, live_server, page):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("root-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    registration = Registration.objects.get(pk=site.pk)
    problems = walk(
        page,
        live_server,
        [
            "/admin/",
            "/admin/events/meeting/",
            "/admin/events/meeting/add/",
            "/admin/agenda/session/",
            "/admin/registrations/registration/",
            f"/admin/registrations/registration/{registration.pk}/change/",
            "/admin/mail/outboxmessage/",
            "/admin/axes/accessattempt/",
            "/admin/auth/user/",
        ],
    )
    assert problems == {}


def test_swagger_ui_shows_the_api_under_its_own_policy(site, live_server, page, screenshot):
    problems = walk(page, live_server, ["/api/docs/"])
    page.wait_for_selector(".swagger-ui .info .title")
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Intercluster API")
    assert page.locator(".opblock").count() > 10
    screenshot(page, "csp-swagger")
    assert problems == {}


def test_the_lockout_page_tells_the_organizer_to_wait(site, live_server, page, screenshot):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for password in ["wrong-1", "wrong-2", "wrong-3", "wrong-4", "wrong-5", "intercluster"]:
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill("organizer")
        page.get_by_label("Password").fill(password)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Log in").click()

    assert navigation.value.status == 429
    assert page.locator("h1").inner_text() == "Too many failed logins"
    assert "paused for 15 minutes" in page.locator("main").inner_text()
    # The browser reports the 429 itself as a console error; nothing else may appear.
    assert [e for e in errors if "429" not in e] == []
    screenshot(page, "login-lockout")
