"""The organizers' workspace under /meetings/<slug>/manage/ (that meeting's organizers only)."""

from django.urls import path

from orga.views import dashboard, messages, participants

app_name = "orga"
urlpatterns = [
    path("meetings/<slug:slug>/manage/", dashboard.dashboard, name="dashboard"),
    path(
        "meetings/<slug:slug>/manage/emails/retry/",
        dashboard.emails_retry,
        name="emails-retry-failed",
    ),
    path(
        "meetings/<slug:slug>/manage/emails/<int:pk>/retry/",
        dashboard.emails_retry,
        name="email-retry",
    ),
    path(
        "meetings/<slug:slug>/manage/participants/",
        participants.participant_list,
        name="participants",
    ),
    path("meetings/<slug:slug>/manage/messages/", messages.message_list, name="messages"),
]
