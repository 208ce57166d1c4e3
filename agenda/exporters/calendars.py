"""iCalendar exporters: the agenda (with filters) and one session.

A participant's own agenda (``personal-ics``) is registrations' (``registrations/calendar.py``).
"""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext

from agenda import ical
from agenda.export_rows import export_sessions
from agenda.exporters import selectors
from agenda.exporters.base import BaseExporter, ExportError, register
from agenda.filters import SessionFilterSet
from agenda.models import Session

ICS = "text/calendar; charset=utf-8"
MAX_ID = 2_147_483_647  # the largest id an integer primary key column holds


class CalendarExporter(BaseExporter):
    content_type = ICS
    extension = "ics"

    def get_data(self, version: selectors.Version) -> bytes:
        sessions = export_sessions(self.sessions(), meeting=self.meeting)
        calendar = ical.build_feed(sessions=sessions, meeting=self.meeting, name=self.name())
        return ical.calendar_bytes(calendar)

    def sessions(self):
        raise NotImplementedError

    def name(self) -> str:
        raise NotImplementedError


@register
class AgendaCalendar(CalendarExporter):
    """Every public session of a meeting, optionally narrowed by track, room, kind and day.

    Several values of one filter are alternatives (``?track=a&track=b``);
    different filters all apply. An unknown value is a 400, never an empty calendar.

    So the checks here are stricter than ``SessionFilterSet``'s (which lets a
    well-formed unknown track match nothing) and name every unknown value; the
    filtering itself is the FilterSet's, as on the agenda page and in the API.
    """

    identifier = "agenda-ics"

    def prepare(self) -> None:
        self.meeting = selectors.meeting_get_public(slug=self.kwargs["slug"])
        query = self.request.GET
        self.tracks = self._tracks(query.getlist("track"))
        self.rooms = self._rooms(query.getlist("room"))
        self.kinds = self._kinds(query.getlist("kind"))
        self.days = self._days(query.getlist("day"))

    def _tracks(self, slugs: list[str]) -> list:
        if not slugs:
            return []
        # PostgreSQL refuses a NUL in a query: such a value names no track anyway.
        found = selectors.tracks_by_slug(
            meeting=self.meeting, slugs=[slug for slug in slugs if "\x00" not in slug]
        )
        if unknown := [slug for slug in slugs if slug not in found]:
            raise ExportError(
                gettext("Unknown track: %(values)s. Use a track's slug.")
                % {"values": ", ".join(unknown)}
            )
        return [found[slug] for slug in dict.fromkeys(slugs)]

    def _rooms(self, values: list[str]) -> list:
        if not values:
            return []
        try:
            ids = [int(value) for value in values]
        except ValueError as exc:
            raise ExportError(
                gettext("The room filter takes a room's number, e.g. ?room=3.")
            ) from exc
        # An id no id column can hold names no room (and would overflow the query).
        found = selectors.rooms_by_id(
            meeting=self.meeting, ids=[pk for pk in ids if 0 < pk <= MAX_ID]
        )
        if unknown := [str(pk) for pk in ids if pk not in found]:
            raise ExportError(
                gettext("Unknown room for this meeting: %(values)s.")
                % {"values": ", ".join(unknown)}
            )
        return [found[pk] for pk in dict.fromkeys(ids)]

    def _kinds(self, values: list[str]) -> list[str]:
        if unknown := [value for value in values if value not in Session.Kind.values]:
            raise ExportError(
                gettext("Unknown kind: %(values)s. Known kinds: %(known)s.")
                % {"values": ", ".join(unknown), "known": ", ".join(Session.Kind.values)}
            )
        return list(dict.fromkeys(values))

    def _days(self, values: list[str]) -> list[dt.date]:
        days = []
        for value in values:
            try:
                day = dt.date.fromisoformat(value)
            except ValueError as exc:
                raise ExportError(
                    gettext("The day filter takes a date like 2019-12-10, not %(value)s.")
                    % {"value": value}
                ) from exc
            if day not in self.meeting.days:
                raise ExportError(
                    gettext("%(day)s is not a day of this meeting (%(first)s to %(last)s).")
                    % {"day": day, "first": self.meeting.starts_on, "last": self.meeting.ends_on}
                )
            days.append(day)
        return list(dict.fromkeys(days))

    def version(self) -> selectors.Version:
        return selectors.meeting_version(self.meeting)

    def sessions(self):
        return SessionFilterSet(meeting=self.meeting).filter_by(
            selectors.sessions_exported(self.meeting),
            track=[track.slug for track in self.tracks],
            room=[room.pk for room in self.rooms],
            kind=self.kinds,
            day=self.days,
        )

    def filter_labels(self) -> list[str]:
        labels = [track.name for track in self.tracks]
        labels += [room.name for room in self.rooms]
        labels += [str(Session.Kind(kind).label) for kind in self.kinds]
        labels += [day.isoformat() for day in self.days]
        return labels

    def name(self) -> str:
        if labels := self.filter_labels():
            return f"{self.meeting.title} — {', '.join(labels)}"
        return self.meeting.title

    @property
    def filename(self) -> str:
        return f"{self.meeting.slug}.{self.extension}"


@register
class SessionCalendar(CalendarExporter):
    """One session, to download into a calendar."""

    identifier = "session-ics"

    def prepare(self) -> None:
        self.meeting = selectors.meeting_get_public(slug=self.kwargs["slug"])

    def sessions(self):
        return selectors.sessions_exported(self.meeting).filter(pk=self.kwargs["pk"])

    def version(self) -> selectors.Version:
        venue_stamp = self.meeting.venue.updated_at if self.meeting.venue_id else None
        version = selectors.sessions_version(
            self.sessions(), extra=(self.meeting.updated_at, venue_stamp)
        )
        if not version.sessions:  # a draft, another meeting's, or not timed yet
            raise Http404("No such session.")
        return version

    def name(self) -> str:
        return self.meeting.title

    @property
    def filename(self) -> str:
        return f"{self.meeting.slug}-session-{self.kwargs['pk']}.{self.extension}"
