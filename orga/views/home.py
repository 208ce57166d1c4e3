"""Where an organizer lands after logging in: the meetings they organize."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from events.models import Meeting


@login_required
def my_meetings(request):
    meetings = (
        Meeting.objects.all()
        if request.user.is_superuser
        else Meeting.objects.organized_by(request.user)
    )
    return render(
        request,
        "orga/my_meetings.html",
        {"meetings": list(meetings.select_related("venue").order_by("-starts_on", "title"))},
    )
