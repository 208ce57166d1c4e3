"""The B2B meetings' part of the private link page ("B2B meetings: my profile ·
participants · marketplace · my meetings"), registered in registrations' list of
private link sections when this app is ready."""

from matchmaking.selectors import directory_refusal, matchmaking_get, requests_waiting_count
from matchmaking.services.profiles import profile_refusal
from registrations.models import Registration
from registrations.sections import PrivateLinkSection, private_link_section_register


def b2b_section(registration: Registration) -> dict | None:
    """Nothing when the meeting has no B2B meetings."""
    meeting = registration.meeting
    if matchmaking_get(meeting=meeting) is None:
        return None
    return {
        "can_browse": directory_refusal(meeting=meeting, registration=registration) is None,
        "can_profile": profile_refusal(registration) is None,
        "waiting": requests_waiting_count(registration=registration),
    }


private_link_section_register(
    PrivateLinkSection(template="matchmaking/_private_link_section.html", context=b2b_section)
)
