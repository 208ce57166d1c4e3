from django.urls import path
from rest_framework.routers import SimpleRouter

from matchmaking.api import (
    EntryViewSet,
    MarketplaceViewSet,
    MeetingRequestViewSet,
    MyProfileViewSet,
    ParticipantViewSet,
)
from matchmaking.api_setup import (
    B2BSessionViewSet,
    OrganizerProfileViewSet,
    SectorViewSet,
    SettingsViewSet,
)

PREFIX = "meetings/<slug:slug>/b2b"
ONE_OF_A_KIND = {"get": "retrieve", "put": "update", "patch": "partial_update"}

# Path converters (<slug:slug>, <int:pk>), not the regex router's [^/.]+.
router = SimpleRouter(use_regex_path=False)
router.register(f"{PREFIX}/profile/entries", EntryViewSet, basename="api-b2b-entry")
router.register(f"{PREFIX}/participants", ParticipantViewSet, basename="api-b2b-participant")
router.register(f"{PREFIX}/marketplace", MarketplaceViewSet, basename="api-b2b-marketplace")
router.register(f"{PREFIX}/requests", MeetingRequestViewSet, basename="api-b2b-request")
router.register(f"{PREFIX}/sessions", B2BSessionViewSet, basename="api-b2b-session")
router.register(f"{PREFIX}/sectors", SectorViewSet, basename="api-b2b-sector")
router.register(f"{PREFIX}/profiles", OrganizerProfileViewSet, basename="api-b2b-profile")

urlpatterns = [
    path(
        f"{PREFIX}/profile/",
        MyProfileViewSet.as_view(ONE_OF_A_KIND),
        name="api-b2b-my-profile",
    ),
    path(
        f"{PREFIX}/settings/",
        SettingsViewSet.as_view(ONE_OF_A_KIND),
        name="api-b2b-settings",
    ),
    *router.urls,
]
