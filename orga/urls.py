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
    path("meetings/<slug:slug>/manage/messages/", messages.message_list, name="messages"),
    path(
        "meetings/<slug:slug>/manage/messages/new/",
        messages.message_compose,
        name="message-compose",
    ),
    path(
        "meetings/<slug:slug>/manage/messages/send/",
        messages.message_send,
        name="message-send",
    ),
    path(
        "meetings/<slug:slug>/manage/messages/<int:pk>/",
        messages.message_detail,
        name="message-detail",
    ),
]
