from django.urls import path

from registrations.api import MeetingRegistrationViewSet

registration_list = MeetingRegistrationViewSet.as_view({"get": "list", "post": "create"})
registration_stats = MeetingRegistrationViewSet.as_view({"get": "stats"})
registration_detail = MeetingRegistrationViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path(
        "meetings/<slug:slug>/registrations/",
        registration_list,
        name="api-registration-list",
    ),
    path(
        "meetings/<slug:slug>/registrations/stats/",
        registration_stats,
        name="api-registration-stats",
    ),
    path(
        "meetings/<slug:slug>/registrations/<int:pk>/",
        registration_detail,
        name="api-registration-detail",
    ),
]
for name in ("approve", "reject", "promote", "cancel", "resend_link"):
    urlpatterns.append(
        path(
            f"meetings/<slug:slug>/registrations/<int:pk>/{name.replace('_', '-')}/",
            MeetingRegistrationViewSet.as_view({"post": name}),
            name=f"api-registration-{name.replace('_', '-')}",
        )
    )
