"""Template helpers of the agenda."""

from django import template

from agenda import selectors

register = template.Library()


@register.simple_tag
def agenda_summary(meeting):
    """Sessions per day and the next few, for the meeting page (two queries)."""
    return selectors.agenda_summary(meeting=meeting)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
