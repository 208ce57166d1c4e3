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
    """The registration's session choices that are not cancelled, in agenda order."""
    return registration_choices(registration=registration)
