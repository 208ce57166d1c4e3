from django.urls import path

from events.api import MeetingViewSet

meeting_list = MeetingViewSet.as_view({"get": "list"})
meeting_detail = MeetingViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update"}
)

urlpatterns = [
    path("meetings/", meeting_list, name="api-meeting-list"),
    path("meetings/<slug:slug>/", meeting_detail, name="api-meeting-detail"),
]
