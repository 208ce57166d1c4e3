"""A test-only page that includes the calendar snippets, as the session, agenda and
private-link pages do (those pages live in other branches)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import RequestContext, Template
from django.urls import path

from agenda.exporters.selectors import meeting_get_public, sessions_exported, sessions_with_details
from config.urls import urlpatterns as site_urlpatterns
from registrations.models import Registration

PAGE = Template(
    """{% extends "base.html" %}{% block content %}
<h1>{{ session.title }}</h1>
{% include "agenda/_calendar_links.html" with session=session %}
<h2>Agenda</h2>
{% include "agenda/_calendar_links.html" with session=None filter_query="track=collaboration" %}
{% include "agenda/_personal_calendar.html" with registration=registration %}
{% endblock %}"""
)


def calendar_page(request, slug: str, pk: int, token: str):
    meeting = meeting_get_public(slug=slug)
    (session,) = sessions_with_details(sessions_exported(meeting).filter(pk=pk), meeting=meeting)
    registration = get_object_or_404(Registration, token=token)
    context = {"session": session, "meeting": meeting, "registration": registration}
    return HttpResponse(PAGE.render(RequestContext(request, context)))


urlpatterns = [
    path("test-calendar/<slug:slug>/<int:pk>/<str:token>/", calendar_page),
    *site_urlpatterns,
]
