from django.shortcuts import render

from events.decorators import organizer_required


@organizer_required
def participant_list(request, meeting):
    return render(request, "orga/participants.html", {"meeting": meeting})
