from django.urls import path

from registrations import views

app_name = "registrations"
urlpatterns = [
    path("meetings/<slug:slug>/register/", views.register, name="register"),
    path("meetings/<slug:slug>/register/thanks/", views.register_thanks, name="register-thanks"),
    path("meetings/<slug:slug>/forget-me/", views.forget_me, name="forget-me"),
    path("r/<str:token>/", views.private_link, name="private-link"),
    path("r/<str:token>/sessions/", views.private_link_sessions, name="private-link-sessions"),
    path("r/<str:token>/cancel/", views.private_link_cancel, name="private-link-cancel"),
    path("r/<str:token>/reset/", views.private_link_reset, name="private-link-reset"),
    path(
        "r/<str:token>/calendar-reset/",
        views.private_link_feed_reset,
        name="private-link-feed-reset",
    ),
]
