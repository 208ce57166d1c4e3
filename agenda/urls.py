from django.urls import path

from agenda import views

app_name = "agenda"
urlpatterns = [
    path("meetings/<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("meetings/<slug:slug>/sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("meetings/<slug:slug>/speakers/", views.speaker_list, name="speaker-list"),
    path("meetings/<slug:slug>/search/", views.search, name="search"),
    path(
        "meetings/<slug:slug>/speakers/<slug:speaker>/",
        views.speaker_detail,
        name="speaker-detail",
    ),
    path("meetings/<slug:slug>/board/", views.board, name="board"),
    path("meetings/<slug:slug>/board/publish/", views.board_publish, name="board-publish"),
    path("meetings/<slug:slug>/board/import/", views.board_import, name="board-import"),
    path(
        "meetings/<slug:slug>/board/sessions/new/",
        views.board_session_edit,
        name="board-session-create",
    ),
    path(
        "meetings/<slug:slug>/board/sessions/<int:pk>/",
        views.board_session_edit,
        name="board-session-edit",
    ),
    path(
        "meetings/<slug:slug>/board/sessions/<int:pk>/move/",
        views.board_session_move,
        name="board-session-move",
    ),
]
