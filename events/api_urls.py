from rest_framework.routers import SimpleRouter

from events.api import MeetingViewSet

# Path converters (<slug:slug>), not the regex router's [^/.]+: the same URLs as the site's.
router = SimpleRouter(use_regex_path=False)
router.register("meetings", MeetingViewSet, basename="api-meeting")

urlpatterns = router.urls
