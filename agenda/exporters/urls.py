"""Public calendar and schedule exports, and the private personal calendar."""

from django.urls import path

# Importing the exporter modules registers them.
from agenda.exporters import calendars, schedules  # noqa: F401
from agenda.exporters.views import export

app_name = "exporters"


def exported(route: str, identifier: str):
    return path(route, export, {"identifier": identifier}, name=identifier)


urlpatterns = [
    exported("meetings/<slug:slug>/agenda.ics", "agenda-ics"),
    exported("meetings/<slug:slug>/sessions/<int:pk>.ics", "session-ics"),
    exported("meetings/<slug:slug>/schedule.json", "schedule-json"),
    exported("meetings/<slug:slug>/schedule.xml", "schedule-xml"),
    exported("calendar/<str:token>.ics", "personal-ics"),
]
