"""Template access to agenda/exporters/links.py for the "add to calendar" snippets."""

from django import template

from agenda.exporters import links

register = template.Library()

register.simple_tag(links.agenda_ics_url)
register.simple_tag(links.session_ics_url)
register.simple_tag(links.google_calendar_url)
register.simple_tag(links.outlook_calendar_url)
register.filter("webcal", links.webcal)
register.filter("google_subscribe", links.google_subscribe_url)
