from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path
from django.views import defaults

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("config.api_urls")),
    path("", include("events.urls")),
    path("", include("agenda.urls")),
    path("", include("agenda.exporters.urls")),
    path("", include("registrations.urls")),
    path("", include("matchmaking.urls")),
    path("", include("orga.urls")),
]


def not_found(request, exception):
    """404: under /api/ as JSON, as the API's own 404s (a client parses one format); the
    site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


handler404 = not_found
