from django.shortcuts import render

from events.decorators import organizer_required


@organizer_required
def message_list(request, meeting):
    return render(request, "orga/messages.html", {"meeting": meeting})
