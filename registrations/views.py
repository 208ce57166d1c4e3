from django.shortcuts import render

from registrations.selectors import registration_get_by_token


def private_link(request, token: str):
    registration = registration_get_by_token(token=token)
    return render(
        request,
        "registrations/private_link.html",
        {"registration": registration, "meeting": registration.meeting},
    )
