"""Template helpers of the agenda."""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from agenda import selectors
from agenda.grid import Grid, grid_css
from agenda.models import Track

register = template.Library()

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@register.simple_tag
def agenda_summary(meeting):
    """Sessions per day and the next few, for the meeting page (two queries)."""
    return selectors.agenda_summary(meeting=meeting)


@register.simple_tag(takes_context=True)
def track_colours(context, items):
    """A ``<style>`` giving each track's cards (``.track-<id>``) its colour.

    ``items`` are tracks or sessions (their tracks are used). The block carries
    the response's CSP nonce: the policy allows no inline style attributes.
    """
    tracks = {}
    for item in items:
        track = item if isinstance(item, Track) else item.track
        if track is not None:
            tracks[track.pk] = track
    rules = "".join(
        f".track-{pk} {{ --track: {track.colour}; }}"
        for pk, track in sorted(tracks.items())
        if HEX_COLOUR.fullmatch(track.colour)  # never anything but a colour in a style block
    )
    if not rules:
        return ""
    nonce = getattr(context.get("request"), "csp_nonce", "")
    return format_html('<style nonce="{}">{}</style>', nonce, mark_safe(rules))


@register.simple_tag(takes_context=True)
def agenda_grid_style(context, grid: Grid):
    """The ``<style>`` placing the agenda grid's cells (``agenda.grid.grid_css``), with
    the response's CSP nonce: positions cannot be inline style attributes."""
    rules = grid_css(grid)
    if not rules:
        return ""
    nonce = getattr(context.get("request"), "csp_nonce", "")
    return format_html('<style nonce="{}">{}</style>', nonce, mark_safe(rules))
