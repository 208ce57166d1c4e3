"""The API: /api/v1/ per app, the OpenAPI schema and its docs (served offline)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("v1/", include("events.api_urls")),
    path("v1/", include("agenda.api_urls")),
    path("v1/", include("registrations.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
