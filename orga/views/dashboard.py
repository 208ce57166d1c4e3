from django.shortcuts import render

from events.decorators import organizer_required


@organizer_required
def dashboard(request, meeting):
    return render(request, "orga/dashboard.html", {"meeting": meeting})
