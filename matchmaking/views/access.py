"""Who may open the B2B pages, and what every one of them answers with.

Two doors:
- the person's own pages (``/r/<token>/profile/``, ``/r/<token>/meetings/``) open with
  the private link, like the rest of the registration (``b2b_private_page``);
- the directory and the marketplace (``/meetings/<slug>/participants/``, …) carry no
  token: they are for the confirmed participant this browser remembers from their
  private link (``registrations.identity``) and for the meeting's organizers
  (``directory_page``). Anyone else gets a page saying how to get in, with a 403.
Every page is personal: never cached, never indexed, and no Referer to other sites.
"""

from dataclasses import dataclass
from functools import wraps

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from events.models import Meeting
from events.selectors import is_organizer, meeting_get_visible
from matchmaking.models import Matchmaking
from matchmaking.selectors import directory_refusal, matchmaking_get
from registrations.decorators import private_link_page
from registrations.identity import participant_for_request
from registrations.models import Registration


@dataclass
class Viewer:
    """Who is looking at the directory: a confirmed participant, an organizer, or both."""

    meeting: Meeting
    matchmaking: Matchmaking
    registration: Registration | None  # the confirmed participant looking; None: an organizer
    organizer: bool


def can_browse(registration: Registration) -> bool:
    """Whether the person may open the directory (for the tabs of their own pages)."""
    return directory_refusal(meeting=registration.meeting, registration=registration) is None


def personal(response):
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def refused(request, meeting: Meeting, reason: str, *, registration: Registration | None = None):
    """The 403 page: why, and how to get in."""
    return render(
        request,
        "matchmaking/no_access.html",
        {"meeting": meeting, "reason": reason, "registration": registration},
        status=403,
    )


def directory_page(view):
    """The view gets a ``Viewer`` instead of the slug; 404 when the meeting has no B2B
    meetings (or is a draft the user does not organize), 403 for anyone not let in."""

    @wraps(view)
    def wrapper(request, slug: str, *args, **kwargs):
        meeting = meeting_get_visible(slug=slug, user=request.user)
        matchmaking = matchmaking_get(meeting=meeting)
        if matchmaking is None:
            raise Http404("This meeting has no B2B meetings.")
        matchmaking.meeting = meeting
        registration = participant_for_request(request, meeting)
        refusal = directory_refusal(meeting=meeting, registration=registration)
        organizer = is_organizer(request.user, meeting)
        if refusal and not organizer:
            return personal(refused(request, meeting, refusal, registration=registration))
        viewer = Viewer(
            meeting=meeting,
            matchmaking=matchmaking,
            registration=None if refusal else registration,
            organizer=organizer,
        )
        return personal(view(request, viewer, *args, **kwargs))

    return never_cache(wrapper)


def b2b_private_page(view):
    """A private-link page of the B2B meetings: the view gets the registration and the
    meeting's matchmaking settings; 404 when the meeting has no B2B meetings."""

    @private_link_page
    @wraps(view)
    def wrapper(request, registration: Registration, *args, **kwargs):
        matchmaking = matchmaking_get(meeting=registration.meeting)
        if matchmaking is None:
            raise Http404("This meeting has no B2B meetings.")
        matchmaking.meeting = registration.meeting
        return view(request, registration, matchmaking, *args, **kwargs)

    return wrapper
