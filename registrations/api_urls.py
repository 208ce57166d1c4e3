from rest_framework.routers import SimpleRouter

from registrations.api import MeetingRegistrationViewSet

# Path converters (<slug:slug>, <int:pk>), not the regex router's [^/.]+.
router = SimpleRouter(use_regex_path=False)
router.register(
    "meetings/<slug:slug>/registrations", MeetingRegistrationViewSet, basename="api-registration"
)

urlpatterns = router.urls
