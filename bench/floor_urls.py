"""The real URLs plus the framework floor, for bench/registration.py only.

``POST /bench/floor/`` is an empty DRF ``APIView``: it goes through the same
middleware, DRF's request wrapping, authentication and content negotiation
as the registration API, and answers 201 with a tiny JSON body, without
touching the database. Its requests per second, served by the same gunicorn
in the same run, is the floor the registrations are compared with.
"""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as real_urlpatterns


class FloorView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        return Response({"ok": True}, status=201)


urlpatterns = [path("bench/floor/", FloorView.as_view()), *real_urlpatterns]
