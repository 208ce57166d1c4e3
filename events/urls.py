from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting-detail"),
]
