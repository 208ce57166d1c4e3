from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("", include("events.urls")),
    path("", include("agenda.urls")),
    path("", include("agenda.exporters.urls")),
    path("", include("registrations.urls")),
    path("", include("orga.urls")),
]
