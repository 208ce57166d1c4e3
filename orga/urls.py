"""The organizers' workspace under /meetings/<slug>/manage/ (that meeting's organizers only)."""

from django.urls import path

from orga.views import (
    agenda,
    b2b_board,
    b2b_outcomes,
    b2b_scheduling,
    b2b_send,
    changes,
    dashboard,
    home,
    matchmaking,
    matchmaking_people,
    messages,
    participants,
    settings,
)

app_name = "orga"
urlpatterns = [
    path("manage/", home.my_meetings, name="home"),
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
    path("meetings/<slug:slug>/manage/cancel/", changes.meeting_cancel, name="meeting-cancel"),
    path(
        "meetings/<slug:slug>/manage/settings/",
        settings.registration_settings,
        name="settings",
    ),
    path(
        "meetings/<slug:slug>/manage/sessions/<int:pk>/cancel/",
        changes.session_status,
        {"action": "cancel"},
        name="session-cancel",
    ),
    path(
        "meetings/<slug:slug>/manage/sessions/<int:pk>/restore/",
        changes.session_status,
        {"action": "restore"},
        name="session-restore",
    ),
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
    path("meetings/<slug:slug>/manage/speakers/", agenda.speaker_list, name="speakers"),
    path("meetings/<slug:slug>/manage/speakers/new/", agenda.speaker_edit, name="speaker-create"),
    path(
        "meetings/<slug:slug>/manage/speakers/<int:pk>/", agenda.speaker_edit, name="speaker-edit"
    ),
    path("meetings/<slug:slug>/manage/tracks/", agenda.track_list, name="tracks"),
    path("meetings/<slug:slug>/manage/tracks/new/", agenda.track_edit, name="track-create"),
    path("meetings/<slug:slug>/manage/tracks/<int:pk>/", agenda.track_edit, name="track-edit"),
    path(
        "meetings/<slug:slug>/manage/sessions/<int:pk>/speakers/",
        agenda.session_speaker_add,
        name="session-speaker-add",
    ),
    path(
        "meetings/<slug:slug>/manage/sessions/<int:pk>/speakers/<int:speaker_pk>/remove/",
        agenda.session_speaker_remove,
        name="session-speaker-remove",
    ),
    # B2B meetings: settings, sectors, matchmaking sessions; profiles; requests.
    path("meetings/<slug:slug>/manage/matchmaking/", matchmaking.setup, name="matchmaking"),
    path(
        "meetings/<slug:slug>/manage/matchmaking/sectors/new/",
        matchmaking.sector_add,
        name="b2b-sector-add",
    ),
    path(
        "meetings/<slug:slug>/manage/matchmaking/sectors/<int:pk>/",
        matchmaking.sector_edit,
        name="b2b-sector",
    ),
    path(
        "meetings/<slug:slug>/manage/matchmaking/sectors/<int:pk>/remove/",
        matchmaking.sector_remove,
        name="b2b-sector-remove",
    ),
    path(
        "meetings/<slug:slug>/manage/matchmaking/sessions/new/",
        matchmaking.b2b_session_add,
        name="b2b-session-add",
    ),
    path(
        "meetings/<slug:slug>/manage/matchmaking/sessions/<int:pk>/",
        matchmaking.b2b_session_edit,
        name="b2b-session",
    ),
    path(
        "meetings/<slug:slug>/manage/matchmaking/sessions/<int:pk>/remove/",
        matchmaking.b2b_session_delete,
        name="b2b-session-remove",
    ),
    path(
        "meetings/<slug:slug>/manage/matchmaking/profiles/",
        matchmaking_people.profile_list,
        name="b2b-profiles",
    ),
    path(
        "meetings/<slug:slug>/manage/matchmaking/profiles/validate/",
        matchmaking_people.profiles_validate,
        name="b2b-profiles-validate",
    ),
    path(
        "meetings/<slug:slug>/manage/matchmaking/requests/",
        matchmaking_people.request_list,
        name="b2b-requests",
    ),
    path(
        "meetings/<slug:slug>/manage/matchmaking/requests/<int:pk>/cancel/",
        matchmaking_people.request_cancel_confirm,
        name="b2b-request-cancel",
    ),
    path(
        "meetings/<slug:slug>/manage/matchmaking/requests/<int:pk>/schedule/",
        matchmaking_people.request_schedule_form,
        name="b2b-request-schedule",
    ),
    # The automatic scheduler: start a run, follow it.
    path(
        "meetings/<slug:slug>/manage/b2b/schedule/",
        b2b_scheduling.schedule,
        name="b2b-schedule",
    ),
    path(
        "meetings/<slug:slug>/manage/b2b/runs/<int:pk>/",
        b2b_scheduling.run_detail,
        name="b2b-run",
    ),
    path(
        "meetings/<slug:slug>/manage/b2b/runs/<int:pk>.json",
        b2b_scheduling.run_json,
        name="b2b-run-json",
    ),
    # What came of the B2B meetings (the federation's evidence).
    path(
        "meetings/<slug:slug>/manage/b2b/outcomes/",
        b2b_outcomes.outcomes,
        name="b2b-outcomes",
    ),
    path(
        "meetings/<slug:slug>/manage/b2b/outcomes/meetings.csv",
        b2b_outcomes.meetings_export,
        name="b2b-outcomes-csv",
    ),
    path(
        "meetings/<slug:slug>/manage/b2b/outcomes/regions.csv",
        b2b_outcomes.matrix_export,
        name="b2b-outcomes-matrix-csv",
    ),
    # The meetings board: slots × tables per matchmaking session.
    path("meetings/<slug:slug>/manage/b2b/", b2b_board.board, name="b2b-board"),
    path("meetings/<slug:slug>/manage/b2b/move/", b2b_board.move, name="b2b-move"),
    path(
        "meetings/<slug:slug>/manage/b2b/requests/<int:pk>/lock/",
        b2b_board.lock,
        name="b2b-lock",
    ),
    path(
        "meetings/<slug:slug>/manage/b2b/requests/<int:pk>/schedule/",
        b2b_board.quick_schedule,
        name="b2b-quick-schedule",
    ),
    # B2B schedules out: send the preliminary / final schedule, and the PDFs.
    path("meetings/<slug:slug>/manage/b2b/send/", b2b_send.send_page, name="b2b-send"),
    path(
        "meetings/<slug:slug>/manage/b2b/send/<slug:kind>/",
        b2b_send.send_confirm,
        name="b2b-send-confirm",
    ),
    path(
        "meetings/<slug:slug>/manage/b2b/people/<int:pk>/schedule.pdf",
        b2b_send.person_schedule_download,
        name="b2b-person-schedule-pdf",
    ),
    path(
        "meetings/<slug:slug>/manage/b2b/sessions/<int:pk>/tables.pdf",
        b2b_send.table_sheets_download,
        name="b2b-table-sheets-pdf",
    ),
]
