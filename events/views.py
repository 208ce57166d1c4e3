from django.shortcuts import render

from events.selectors import is_organizer, meeting_get_with_organizations, meeting_list_public


def meeting_list(request):
    upcoming, past = meeting_list_public()
    return render(request, "events/meeting_list.html", {"upcoming": upcoming, "past": past})


def meeting_detail(request, slug: str):
    meeting = meeting_get_with_organizations(slug=slug, user=request.user)
    return render(
        request,
        "events/meeting_detail.html",
        {"meeting": meeting, "is_organizer": is_organizer(request.user, meeting)},
    )
