"""The speakers block of the board's session page: its speakers, remove, add one.

The block posts to the workspace (``orga.views.agenda``), which calls the agenda
services; the board's own view needs to know nothing about it.
"""

from django import template

from agenda.models import Session
from orga.agenda_forms import SessionSpeakerAddForm

register = template.Library()


@register.inclusion_tag("orga/_session_speakers.html", takes_context=True)
def session_speakers(context, session: Session):
    """``speaker_form`` in the context (a refused add) is shown with its errors."""
    form = context.get("speaker_form") or SessionSpeakerAddForm(session=session)
    links = session.speaker_links.select_related("speaker__organization").order_by("position", "pk")
    return {
        "meeting": context["meeting"],
        "session": session,
        "links": list(links),
        "form": form,
        "csrf_token": context.get("csrf_token"),
    }
