"""View decorators about who may act on a meeting."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from events.selectors import is_organizer, meeting_get_visible


def organizer_required(view):
    """The view takes the meeting: login first, then 403 unless the user organizes it.

    Drafts of other people's meetings are a 404 (``meeting_get_visible``), so an
    organizer of another meeting learns nothing about them.
    """

    @wraps(view)
    def wrapper(request, slug: str, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        meeting = meeting_get_visible(slug=slug, user=request.user)
        if not is_organizer(request.user, meeting):
            raise PermissionDenied("Only the organizers of this meeting may see this page.")
        return view(request, meeting, *args, **kwargs)

    return wrapper
