"""API permissions shared by every app: a meeting's organizers write, everybody reads."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from events.selectors import is_organizer


class IsMeetingOrganizerOrReadOnly(BasePermission):
    """Reads for anyone; writes only for organizers of the view's meeting.

    The view provides ``get_meeting()``; for object views the object's meeting
    is used when the view has none.
    """

    message = "Only the organizers of this meeting may change it."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        get_meeting = getattr(view, "get_meeting", None)
        if get_meeting is None:
            return True  # decided per object
        return is_organizer(request.user, get_meeting())

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        meeting = getattr(obj, "meeting", obj)
        return is_organizer(request.user, meeting)


class IsMeetingOrganizer(BasePermission):
    """Only organizers of the view's meeting, for reads too (personal data)."""

    message = "Only the organizers of this meeting may see this."

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user
            and request.user.is_authenticated
            and is_organizer(request.user, view.get_meeting())
        )
