"""Registration pages: the form on the meeting, and the private link (no account needed)."""

from collections import defaultdict

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.throttling import MeetingRegistrationThrottle, RegistrationThrottle, is_throttled
from events.models import Meeting
from events.selectors import meeting_get_visible
from registrations.decorators import private_link_page, too_many_requests
from registrations.forms import RegistrationForm, SessionChoiceForm
from registrations.identity import participant_forget
from registrations.models import SessionBooking
from registrations.sections import private_link_sections_for
from registrations.selectors import registration_choices, sessions_for_choice_display
from registrations.services import (
    RegistrationBusy,
    RegistrationError,
    registration_bookings_update,
    registration_cancel,
    registration_closed_reason,
    registration_create,
    registration_feed_token_rotate,
    registration_token_rotate,
)
from registrations.services.holds import registration_link_opened


def sessions_by_day(meeting: Meeting, sessions, chosen: set[int]) -> list[tuple]:
    """[(date, [(session, checked), ...]), ...] in agenda order, for the checkbox list."""
    days = defaultdict(list)
    for session in sessions:
        day = session.starts_at.astimezone(meeting.tzinfo).date() if session.starts_at else None
        days[day].append((session, session.pk in chosen))
    return list(days.items())


def apply_error(form, exc: RegistrationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def register(request, slug: str):
    meeting = meeting_get_visible(slug=slug, user=request.user)
    closed_reason = registration_closed_reason(meeting)
    sessions = sessions_for_choice_display(meeting=meeting)
    status = 200
    if request.method == "POST" and not closed_reason:
        wait = is_throttled(request, RegistrationThrottle)
        if wait:
            return too_many_requests(request, wait)
        form = RegistrationForm(request.POST, sessions=sessions)
        status = 400
        if form.is_valid():
            language = translation.get_language()
            wait = is_throttled(request, MeetingRegistrationThrottle, meeting_id=meeting.pk)
            if wait:
                return too_many_requests(request, wait)
            try:
                registration_create(
                    meeting=meeting,
                    language=language if language in Meeting.Language.values else "",
                    **form.cleaned_data,
                )
            except RegistrationBusy as exc:
                apply_error(form, exc)
                status = 503
            except RegistrationError as exc:
                apply_error(form, exc)
            else:
                return redirect("registrations:register-thanks", slug=meeting.slug)
    else:
        form = RegistrationForm(sessions=sessions)
    chosen = {int(v) for v in request.POST.getlist("sessions") if v.isascii() and v.isdigit()}
    return render(
        request,
        "registrations/register.html",
        {
            "meeting": meeting,
            "form": form,
            "closed_reason": closed_reason,
            "days": sessions_by_day(meeting, sessions, chosen),
            "organizations": meeting.organizations.order_by("name"),
        },
        status=status,
    )


def register_thanks(request, slug: str):
    meeting = meeting_get_visible(slug=slug, user=request.user)
    return render(request, "registrations/register_thanks.html", {"meeting": meeting})


def render_private_link(request, registration, *, form=None, status=200):
    meeting = registration.meeting
    sessions = sessions_for_choice_display(meeting=meeting)
    choices = registration_choices(registration=registration)
    chosen = {booking.session_id for booking in choices}
    if form is not None and form.is_bound:
        chosen = {int(v) for v in request.POST.getlist("sessions") if v.isascii() and v.isdigit()}
    return render(
        request,
        "registrations/private_link.html",
        {
            "registration": registration,
            "meeting": meeting,
            "choices": choices,
            "form": form or SessionChoiceForm(sessions=sessions),
            "days": sessions_by_day(meeting, sessions, chosen),
            "can_change": registration.can_change_choices(),
            "sections": private_link_sections_for(registration),
        },
        status=status,
    )


@private_link_page
def private_link(request, registration):
    """The person's registration: status, choices, cancel, calendar, new link.

    Opening it proves the address reads its mail: a held seat is the person's from now on.
    """
    if request.method == "GET":
        was_held = registration.is_held
        registration = registration_link_opened(registration=registration)
        if was_held and not registration.is_held and registration.status == "confirmed":
            messages.success(request, _("Thank you: your seat is confirmed."))
    return render_private_link(request, registration)


@require_POST
@private_link_page
def private_link_sessions(request, registration):
    sessions = sessions_for_choice_display(meeting=registration.meeting)
    form = SessionChoiceForm(request.POST, sessions=sessions)
    if form.is_valid():
        try:
            registration_bookings_update(registration=registration, **form.cleaned_data)
        except RegistrationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Your choices are saved."))
            for booking in registration_choices(registration=registration):
                if booking.status == SessionBooking.Status.WAITLISTED:
                    messages.warning(
                        request,
                        _("“%(title)s” is full: you are on its waitlist.")
                        % {"title": booking.session.title},
                    )
            return redirect(registration.get_absolute_url())
    return render_private_link(request, registration, form=form, status=400)


@private_link_page
def private_link_cancel(request, registration):
    """A confirmation page (GET), then the cancellation (POST)."""
    if request.method == "POST":
        try:
            registration_cancel(registration=registration)
        except RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Your registration is cancelled. We have sent you an email.")
            )
        return redirect(registration.get_absolute_url())
    return render(
        request,
        "registrations/private_link_cancel.html",
        {"registration": registration, "meeting": registration.meeting},
    )


@require_POST
@private_link_page
def private_link_reset(request, registration):
    """A new private link, sent by email; this page's link stops working."""
    registration_token_rotate(registration=registration)
    return render(
        request,
        "registrations/private_link_reset.html",
        {"registration": registration, "meeting": registration.meeting},
    )


@require_POST
@private_link_page
def private_link_feed_reset(request, registration):
    """A new calendar address; the old one stops working, the private link does not change."""
    registration_feed_token_rotate(registration=registration)
    messages.success(
        request,
        _(
            "Your calendar has a new address. Subscribe again with the buttons below; "
            "the old address no longer works."
        ),
    )
    return redirect(registration.get_absolute_url() + "#personal-calendar")


@require_POST
def forget_me(request, slug: str):
    """This browser stops acting as the person whose private link it opened at the meeting
    (a shared computer); the private link itself keeps working."""
    meeting = meeting_get_visible(slug=slug, user=request.user)
    if participant_forget(request, meeting):
        messages.success(
            request,
            _(
                "This browser no longer remembers you at this meeting. Open your private "
                "link again to come back."
            ),
        )
    return redirect(meeting.get_absolute_url())
