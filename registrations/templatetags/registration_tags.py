"""Registration reads for templates: the meeting page's call to action, a person's choices."""

from django import template

from registrations.calendar import personal_ics_url
from registrations.selectors import meeting_registration_state, registration_choices

register = template.Library()

register.simple_tag(personal_ics_url)


@register.simple_tag
def registration_state(meeting) -> dict:
    """What the meeting page's "Register" section shows (see selectors)."""
    return meeting_registration_state(meeting=meeting)


@register.simple_tag
def choices_of(registration) -> list:
    """The registration's session choices that are not cancelled, in agenda order.

    Read once per registration object: an email renders its text and its HTML
    part from the same object (the task builds it, so the list is never stale).
    """
    choices = getattr(registration, "_choices_of", None)
    if choices is None:
        choices = registration._choices_of = registration_choices(registration=registration)
    return choices
