from rest_framework.routers import SimpleRouter

from agenda.api import RoomViewSet, SessionViewSet, SpeakerViewSet, TrackViewSet

PREFIX = "meetings/<slug:slug>"

# Path converters (<int:pk>, <slug:speaker>), not the regex router's [^/.]+.
router = SimpleRouter(use_regex_path=False)
router.register(f"{PREFIX}/sessions", SessionViewSet, basename="api-session")
router.register(f"{PREFIX}/speakers", SpeakerViewSet, basename="api-speaker")
router.register(f"{PREFIX}/tracks", TrackViewSet, basename="api-track")
router.register(f"{PREFIX}/rooms", RoomViewSet, basename="api-room")

urlpatterns = router.urls
