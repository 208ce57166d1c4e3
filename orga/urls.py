"""The organizers' workspace under /meetings/<slug>/manage/ (that meeting's organizers only)."""

from django.urls import path

from orga.views import dashboard, messages, participants

app_name = "orga"
urlpatterns = [
    path("meetings/<slug:slug>/manage/", dashboard.dashboard, name="dashboard"),
    path(
        "meetings/<slug:slug>/manage/participants/",
        participants.participant_list,
        name="participants",
    ),
    path(
        "meetings/<slug:slug>/manage/participants/<int:pk>/<slug:action>/",
        participants.participant_action,
        name="participant-action",
    ),
    path(
        "meetings/<slug:slug>/manage/participants/bulk/",
        participants.participant_bulk,
        name="participants-bulk",
    ),
    path(
        "meetings/<slug:slug>/manage/participants/export.csv",
        participants.participant_export,
        {"fmt": "csv"},
        name="participants-export-csv",
    ),
    path(
        "meetings/<slug:slug>/manage/participants/export.xlsx",
        participants.participant_export,
        {"fmt": "xlsx"},
        name="participants-export-xlsx",
    ),
    path(
        "meetings/<slug:slug>/manage/participants/waitlists/",
        participants.participant_waitlists,
        name="participants-waitlists",
    ),
    path("meetings/<slug:slug>/manage/messages/", messages.message_list, name="messages"),
]
