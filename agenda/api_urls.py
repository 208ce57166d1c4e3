from django.urls import path

from agenda.api import RoomViewSet, SessionViewSet, SpeakerViewSet, TrackViewSet

PREFIX = "meetings/<slug:slug>"
LIST = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve", "put": "update", "patch": "partial_update"}

urlpatterns = [
    path(f"{PREFIX}/sessions/", SessionViewSet.as_view(LIST), name="api-session-list"),
    path(
        f"{PREFIX}/sessions/<int:pk>/",
        SessionViewSet.as_view({**DETAIL, "delete": "destroy"}),
        name="api-session-detail",
    ),
    path(
        f"{PREFIX}/sessions/<int:pk>/cancel/",
        SessionViewSet.as_view({"post": "cancel"}),
        name="api-session-cancel",
    ),
    path(
        f"{PREFIX}/sessions/<int:pk>/restore/",
        SessionViewSet.as_view({"post": "restore"}),
        name="api-session-restore",
    ),
    path(
        f"{PREFIX}/sessions/<int:pk>/speakers/",
        SessionViewSet.as_view({"post": "add_speaker"}),
        name="api-session-speakers",
    ),
    path(
        f"{PREFIX}/sessions/<int:pk>/speakers/order/",
        SessionViewSet.as_view({"post": "reorder_speakers"}),
        name="api-session-speakers-order",
    ),
    path(
        f"{PREFIX}/sessions/<int:pk>/speakers/<slug:speaker>/",
        SessionViewSet.as_view({"delete": "remove_speaker"}),
        name="api-session-speaker",
    ),
    path(f"{PREFIX}/speakers/", SpeakerViewSet.as_view(LIST), name="api-speaker-list"),
    path(
        f"{PREFIX}/speakers/<slug:speaker>/",
        SpeakerViewSet.as_view(DETAIL),
        name="api-speaker-detail",
    ),
    path(f"{PREFIX}/tracks/", TrackViewSet.as_view(LIST), name="api-track-list"),
    path(f"{PREFIX}/tracks/<slug:track>/", TrackViewSet.as_view(DETAIL), name="api-track-detail"),
    path(f"{PREFIX}/rooms/", RoomViewSet.as_view({"get": "list"}), name="api-room-list"),
    path(
        f"{PREFIX}/rooms/<int:pk>/",
        RoomViewSet.as_view({"get": "retrieve"}),
        name="api-room-detail",
    ),
]
