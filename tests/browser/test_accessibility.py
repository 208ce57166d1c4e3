"""axe-core on every public, participant and organizer page, in Chromium.

axe-core comes from npm (package.json, ``make install``) and is loaded from
node_modules/ into each page by the test: nothing is fetched from the internet, and
the site itself never serves it. Each page is checked against the WCAG 2.0/2.1/2.2
A and AA rules; the test fails on any violation of impact serious or critical, and
on any "needs review" result of an aria-* rule (an attribute that may point at
nothing, or mean nothing where it is). The failure lists page, rule and elements.

The pages are visited in one browser context, in the order a person would reach
them: the public pages, then a participant's private-link pages, then the organizer's
workspace after logging in. A visit may fill and submit the form it shows, so that
forms are checked with their errors shown too; on those pages the error summary must
hold the focus. To check a new page, add a ``Visit`` to ``tour()``.
"""

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.factories import MeetingFactory
from tests.services import missing
from tests.site_tour import ORGANIZER, Site, build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
FOCUS_IN_SUMMARY = "!!document.activeElement.closest('[data-error-summary]')"
SCREENSHOTS = {"register, errors": "a11y-register-errors", "compose, errors": "a11y-compose-errors"}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations", "incomplete"],
  });
  const brief = (rules) => rules.map((rule) => ({
    id: rule.id, impact: rule.impact, help: rule.help,
    nodes: rule.nodes.map((node) => [node.target.join(" "), node.failureSummary || ""]),
  }));
  return {violations: brief(results.violations), incomplete: brief(results.incomplete)};
}"""


@dataclass(frozen=True)
class Visit:
    """A page to check: ``path`` opened (empty: stay on the page the last visit left),
    then ``fill`` typed in ((selector, text) pairs) and ``submit`` (a button's selector)
    pressed; the page that answers is checked. ``errors``: that page shows form errors."""

    label: str
    path: str = ""
    fill: tuple[tuple[str, str], ...] = ()
    submit: str = ""
    errors: bool = False


def tour(site: Site) -> list[Visit]:
    """Every page, public first, then the participant's, then the organizer's."""
    next_ = f"/meetings/{site.meeting.slug}"
    me = site.participant.get_absolute_url()
    day = site.workshop.starts_at.astimezone(site.meeting.tzinfo).date().isoformat()
    manage = f"{next_}/manage"
    return [
        Visit("meeting list", "/"),
        Visit("meeting page", f"{next_}/"),
        Visit("past meeting page", f"/meetings/{site.reference.slug}/"),
        Visit("agenda", f"{next_}/agenda/?day={day}"),
        Visit("agenda grid, reference meeting", f"/meetings/{site.reference.slug}/agenda/"),
        Visit("agenda in Spanish", f"/es/meetings/{site.reference.slug}/agenda/"),
        Visit("search", f"{next_}/search/?q=cluster"),
        Visit("search, nothing found", f"{next_}/search/?q=zeppelin"),
        Visit("search, too long", f"{next_}/search/?q={'x' * 101}"),
        Visit("session", f"{next_}/sessions/{site.workshop.pk}/"),
        Visit("speakers", f"{next_}/speakers/"),
        Visit("speaker", f"{next_}/speakers/{site.speaker.slug}/"),
        Visit("register", f"{next_}/register/"),
        Visit("register, errors", submit=".registration-form button[type=submit]", errors=True),
        Visit("register thanks", f"{next_}/register/thanks/"),
        Visit("directory, no access", f"{next_}/participants/"),
        Visit("not found", "/meetings/no-such-meeting/"),
        # The participant, through the private link (the browser then remembers them).
        Visit("private link", me),
        Visit("private link, cancel", f"{me}cancel/"),
        Visit("my profile", f"{me}profile/"),
        Visit(
            "my profile, errors",
            fill=(("#id_website", "not a web address"),),
            submit="#profile-form button[type=submit]",
            errors=True,
        ),
        Visit("marketplace entry", f"{me}profile/entries/{site.entry_pk}/"),
        Visit("my meetings", f"{me}meetings/"),
        Visit("directory", f"{next_}/participants/"),
        Visit("profile", f"{next_}/participants/{site.other.b2b_profile.pk}/"),
        Visit("hostile profile", f"{next_}/participants/{site.hostile.b2b_profile.pk}/"),
        Visit("marketplace", f"{next_}/marketplace/"),
        Visit("past meetings", f"{site.past_participant.get_absolute_url()}meetings/"),
        Visit("past meetings, errors", submit=".outcome-form button[type=submit]", errors=True),
        Visit("private link, reset", site.resettable.get_absolute_url()),
        Visit("private link, reset done", submit="form[action$='/reset/'] button"),
        # The organizer's workspace.
        Visit("login", "/accounts/login/"),
        Visit(
            "login, errors",
            fill=(("#id_username", ORGANIZER[0]), ("#id_password", "not the password")),
            submit="main form button[type=submit]",
            errors=True,
        ),
        Visit(
            "my meetings (organizer)",
            fill=(("#id_username", ORGANIZER[0]), ("#id_password", ORGANIZER[1])),
            submit="main form button[type=submit]",
        ),
        Visit("dashboard", f"{manage}/"),
        Visit("participants", f"{manage}/participants/"),
        Visit("waitlists", f"{manage}/participants/waitlists/"),
        Visit("messages", f"{manage}/messages/"),
        Visit("compose", f"{manage}/messages/new/"),
        Visit(
            "compose, errors",
            fill=(("#id_subject", " "), ("#id_body", " ")),
            submit="#compose button[name=preview]",
            errors=True,
        ),
        Visit(
            "preview",
            fill=(("#id_subject", "Practical details"), ("#id_body", "See you\nin Pamplona.")),
            submit="#compose button[name=preview]",
        ),
        Visit("message sent", submit="#confirm button[type=submit]:not([name])"),
        Visit("settings", f"{manage}/settings/"),
        Visit("speakers (organizer)", f"{manage}/speakers/"),
        Visit("new speaker", f"{manage}/speakers/new/"),
        Visit(
            "new speaker, errors",
            fill=(("#id_name", " "),),
            submit="#speaker-form button[type=submit]",
            errors=True,
        ),
        Visit("speaker (organizer)", f"{manage}/speakers/{site.speaker.pk}/"),
        Visit("tracks", f"{manage}/tracks/"),
        Visit("agenda board", f"{next_}/board/?day={day}"),
        Visit("board session", f"{next_}/board/sessions/{site.workshop.pk}/"),
        Visit("board new session", f"{next_}/board/sessions/new/"),
        Visit(
            "board new session, errors",
            fill=(("#id_title", " "),),
            submit="#session-form button[type=submit]",
            errors=True,
        ),
        Visit("import", f"{next_}/board/import/"),
        Visit("cancel meeting", f"{manage}/cancel/"),
        Visit("matchmaking", f"{manage}/matchmaking/"),
        Visit("sector", f"{manage}/matchmaking/sectors/{site.sector.pk}/"),
        Visit("matchmaking session", f"{manage}/matchmaking/sessions/{site.b2b_session.pk}/"),
        Visit("new matchmaking session", f"{manage}/matchmaking/sessions/new/"),
        Visit("b2b profiles", f"{manage}/matchmaking/profiles/"),
        Visit("b2b requests", f"{manage}/matchmaking/requests/"),
        Visit("schedule a request", f"{manage}/matchmaking/requests/{site.accepted.pk}/schedule/"),
        Visit("cancel a request", f"{manage}/matchmaking/requests/{site.accepted.pk}/cancel/"),
        Visit("b2b board", f"{manage}/b2b/"),
        Visit("scheduler run", f"{manage}/b2b/runs/{site.run_pk}/"),
        Visit("send the schedule", f"{manage}/b2b/send/"),
        Visit("send, confirm", f"{manage}/b2b/send/preliminary/"),
        Visit("outcomes", f"/meetings/{site.past.slug}/manage/b2b/outcomes/"),
    ]


@pytest.fixture
def site(transactional_db, live_server, settings):
    if not AXE.exists():
        missing("axe-core in node_modules/ (make install runs npm ci)")
    settings.SITE_URL = live_server.url
    return build_site()


def serious(results: dict) -> list[dict]:
    """The results that fail the test."""
    return [rule for rule in results["violations"] if rule["impact"] in FAILING_IMPACTS] + [
        rule for rule in results["incomplete"] if rule["id"].startswith("aria-")
    ]


def describe(label: str, url: str, rule: dict) -> str:
    nodes = "\n".join(
        f"      {target}\n        {' '.join(summary.split())[:300]}"
        for target, summary in rule["nodes"][:5]
    )
    more = f"\n      … and {len(rule['nodes']) - 5} more" if len(rule["nodes"]) > 5 else ""
    return f"{label} ({url}): {rule['id']} [{rule['impact']}] {rule['help']}\n{nodes}{more}"


def test_every_page_passes_axe_core(site, live_server, browser, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    problems, statuses = [], {}
    started = time.monotonic()
    visits = tour(site)
    for visit in visits:
        if visit.path:
            statuses[visit.label] = page.goto(live_server.url + visit.path).status
        for selector, text in visit.fill:
            page.fill(selector, text)
        if visit.submit:
            with page.expect_navigation() as navigation:
                page.click(visit.submit)
            statuses[visit.label] = navigation.value.status
        if visit.errors and not page.evaluate(FOCUS_IN_SUMMARY):
            problems.append(f"{visit.label}: the focus is not on the error summary")
        problems += [
            describe(visit.label, page.url, rule)
            for rule in serious(page.evaluate(RUN_AXE, WCAG_TAGS))
        ]
        if visit.label in SCREENSHOTS:
            screenshot(page, SCREENSHOTS[visit.label])
    print(f"axe-core on {len(visits)} pages: {time.monotonic() - started:.1f} s")
    context.close()

    expected = {
        "directory, no access": 403,
        "not found": 404,
        "search, too long": 400,
        # The participant's forms answer a refusal with 400; the workspace's and Django's
        # login page with 200.
        "register, errors": 400,
        "my profile, errors": 400,
        "past meetings, errors": 400,
    }
    problems += [
        f"{label}: status {status}, not {expected.get(label, 200)}"
        for label, status in statuses.items()
        if status != expected.get(label, 200)
    ]
    if problems:
        pytest.fail(f"{len(problems)} problems:\n\n" + "\n\n".join(problems), pytrace=False)


def test_keyboard_skips_to_content_and_starts_from_the_errors_on_a_phone(
    live_server, phone, screenshot
):
    """The first Tab shows the skip link with a visible focus ring, and after Enter the
    next Tab is in the content, past the header; a refused registration opens with the
    focus on its error summary, whose links take the focus to their fields."""
    meeting = MeetingFactory(slug="keyboard", title="Intercluster\u202e keyboard")
    phone.goto(f"{live_server.url}/meetings/{meeting.slug}/register/")

    phone.keyboard.press("Tab")
    skip = phone.evaluate(
        """() => {
          const link = document.activeElement, box = link.getBoundingClientRect();
          const style = getComputedStyle(link);
          return [link.textContent, link.getAttribute("href"), box.top >= 0 && box.bottom > 0,
                  style.outlineStyle, style.outlineWidth];
        }"""
    )
    assert skip == ["Skip to content", "#main", True, "solid", "3px"]
    screenshot(phone, "a11y-skip-link-phone")
    phone.keyboard.press("Enter")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.closest('main') !== null") is True

    with phone.expect_navigation():
        phone.get_by_role("button", name="Register").click()
    summary = phone.locator("[data-error-summary]")
    assert phone.evaluate(FOCUS_IN_SUMMARY) is True
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    links = summary.get_by_role("link")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "#id_first_name",
        "#id_last_name",
        "#id_email",
        "#id_consent_processing",
    ]
    assert links.first.inner_text() == "First name: This field is required."
    assert links.last.inner_text() == (
        "I agree that the organizers process my personal data to manage my registration and "
        "to send me information about this meeting: "
        "We need your consent to process your data to register you."
    )
    screenshot(phone, "a11y-register-errors-phone")
    links.first.click()
    assert phone.evaluate("document.activeElement.id") == "id_first_name"
    assert phone.locator("#id_first_name").get_attribute("aria-describedby") == (
        "id_first_name_error"
    )
    assert phone.locator("#id_first_name_error").inner_text() == "This field is required."

    # Sent again from there (the address now ends in #id_first_name): the summary again.
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert phone.url.endswith("/register/#id_first_name")
    assert phone.evaluate(FOCUS_IN_SUMMARY) is True
