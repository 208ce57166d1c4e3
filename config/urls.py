from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path
from django.views import defaults

from config.language import language_set

# One URL for every language: the API, the exports and feeds (calendar apps, conference
# apps, links already emailed or printed), the admin, the switcher's form.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("", include("agenda.exporters.urls")),
    path("i18n/language/", language_set, name="language-set"),
]
# The pages: English (LANGUAGE_CODE) at the URLs people already have, Spanish under /es/
# (docs/architecture.md, "Languages").
urlpatterns += i18n_patterns(
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("events.urls")),
    path("", include("agenda.urls")),
    path("", include("registrations.urls")),
    path("", include("matchmaking.urls")),
    path("", include("orga.urls")),
    prefix_default_language=False,
)


def not_found(request, exception):
    """404: under /api/ as JSON, as the API's own 404s (a client parses one format); the
    site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


handler404 = not_found
