"""The person's printable schedule, behind their private link (``meetings/schedule.pdf``)."""

from matchmaking.models import Matchmaking
from matchmaking.pdf import pdf_response, person_schedule_pdf
from matchmaking.views.access import b2b_private_page
from registrations.models import Registration


@b2b_private_page
def schedule_download(request, registration: Registration, matchmaking: Matchmaking):
    """Their meetings and booked sessions, in their language (else the meeting's)."""
    return pdf_response(*person_schedule_pdf(registration))
