"""The API: /api/v1/ per app, the OpenAPI schema and its docs (served offline)."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# Swagger UI's page: its start-up script is a separate file (the split view),
# so scripts stay 'self' only; its styles are inline (a <style> in the page and
# ones it writes at run time), which a nonce cannot cover.
swagger_ui = csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

urlpatterns = [
    path("v1/", include("events.api_urls")),
    path("v1/", include("agenda.api_urls")),
    path("v1/", include("registrations.api_urls")),
    path("v1/", include("matchmaking.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", swagger_ui, name="api-docs"),
]
