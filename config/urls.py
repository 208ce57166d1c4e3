from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("config.api_urls")),
    path("", include("events.urls")),
    path("", include("agenda.urls")),
    path("", include("agenda.exporters.urls")),
    path("", include("registrations.urls")),
    path("", include("orga.urls")),
]
