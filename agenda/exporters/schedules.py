"""frab/c3voc schedule exporters for conference apps (Giggity, ConfClerk, EventFahrplan)."""

import json

from agenda import frab
from agenda.export_rows import export_sessions
from agenda.exporters import selectors
from agenda.exporters.base import BaseExporter, register
from agenda.models import Track


class ScheduleExporter(BaseExporter):
    disposition = "inline"

    def prepare(self) -> None:
        self.meeting = selectors.meeting_get_public(slug=self.kwargs["slug"])

    def version(self) -> selectors.Version:
        return selectors.meeting_version(self.meeting)

    def schedule(self, version: selectors.Version) -> dict:
        sessions = export_sessions(selectors.sessions_exported(self.meeting), meeting=self.meeting)
        tracks = list(Track.objects.filter(meeting=self.meeting))
        return frab.build_schedule(
            meeting=self.meeting,
            sessions=sessions,
            tracks=tracks,
            version=version.last_modified.strftime("%Y-%m-%d %H:%M:%S"),
        )

    @property
    def filename(self) -> str:
        return f"{self.meeting.slug}-schedule.{self.extension}"


@register
class ScheduleJson(ScheduleExporter):
    identifier = "schedule-json"
    content_type = "application/json"
    extension = "json"

    def get_data(self, version: selectors.Version) -> bytes:
        return json.dumps(self.schedule(version), ensure_ascii=False).encode()


@register
class ScheduleXml(ScheduleExporter):
    identifier = "schedule-xml"
    content_type = "application/xml; charset=utf-8"
    extension = "xml"

    def get_data(self, version: selectors.Version) -> bytes:
        return frab.schedule_xml(self.schedule(version))
