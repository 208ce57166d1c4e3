from django.urls import path

from matchmaking.views import directory, meetings, profile, schedule

app_name = "matchmaking"
urlpatterns = [
    # The meeting's confirmed participants (remembered from their private link) and organizers.
    path("meetings/<slug:slug>/participants/", directory.directory, name="directory"),
    path(
        "meetings/<slug:slug>/participants/<int:pk>/",
        directory.profile_detail,
        name="profile-detail",
    ),
    path("meetings/<slug:slug>/marketplace/", directory.marketplace, name="marketplace"),
    # The person's own pages, through their private link.
    path("r/<str:token>/profile/", profile.my_profile, name="my-profile"),
    path("r/<str:token>/profile/entries/", profile.entry_add, name="entry-add"),
    path("r/<str:token>/profile/entries/<int:pk>/", profile.entry_edit, name="entry-edit"),
    path(
        "r/<str:token>/profile/entries/<int:pk>/delete/",
        profile.entry_remove,
        name="entry-delete",
    ),
    path("r/<str:token>/meetings/", meetings.my_meetings_page, name="my-meetings"),
    path(
        "r/<str:token>/meetings/schedule.pdf",
        schedule.schedule_download,
        name="my-schedule-pdf",
    ),
    path("r/<str:token>/meetings/<int:pk>/accept/", meetings.accept, name="request-accept"),
    path("r/<str:token>/meetings/<int:pk>/decline/", meetings.decline, name="request-decline"),
    path("r/<str:token>/meetings/<int:pk>/cancel/", meetings.cancel, name="request-cancel"),
    path("r/<str:token>/meetings/<int:pk>/outcome/", meetings.outcome, name="outcome"),
]
