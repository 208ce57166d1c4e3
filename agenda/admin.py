"""The agenda in the admin, scoped to the meetings a staff user organizes.

Session changes, and the speakers inline, go through the services, so the admin
refuses what the API and the board refuse, with the same messages (as form
errors; or, when a concurrent change wins the race, as an error message with
nothing of that save kept).
"""

import datetime as dt
import zoneinfo
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda import services
from agenda.forms import FIRST_DAY, LAST_DAY
from agenda.models import Session, SessionSpeaker, Speaker, Track
from agenda.selectors import day_bounds_in
from events.admin import (
    MeetingAdmin,
    MeetingScopedAdminMixin,
    MeetingZoneAdminMixin,
    meeting_time,
)
from events.forms import MeetingTimeField, MeetingTimesForm
from events.models import Meeting, Room


class DayFilter(admin.SimpleListFilter):
    """A meeting day, in that meeting's own time zone."""

    title = "day"
    parameter_name = "day"

    def lookups(self, request, model_admin):
        rows = model_admin.get_queryset(request).filter(starts_at__isnull=False)
        days = {
            timezone.localtime(start, zoneinfo_of(tz)).date()
            for start, tz in rows.values_list("starts_at", "meeting__timezone").distinct()
        }
        return [(day.isoformat(), day.strftime("%a %d %b %Y")) for day in sorted(days)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = dt.date.fromisoformat(self.value())
        except ValueError as exc:
            raise IncorrectLookupParameters(exc) from exc
        if not FIRST_DAY <= day <= LAST_DAY:
            raise IncorrectLookupParameters(f"{day} has no midnight-to-midnight bounds.")
        condition = Q(pk__in=[])
        for tz in set(queryset.values_list("meeting__timezone", flat=True)):
            start, end = day_bounds_in(zoneinfo_of(tz), day)
            condition |= Q(meeting__timezone=tz, starts_at__gte=start, starts_at__lt=end)
        return queryset.filter(condition)


def zoneinfo_of(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


class SessionAdminForm(MeetingTimesForm, forms.ModelForm):
    """Times shown and read in the session's meeting's zone (the chosen one on the add form)."""

    starts_at = MeetingTimeField(label=_("Starts at"), required=False)
    ends_at = MeetingTimeField(label=_("Ends at"), required=False)

    class Meta:
        model = Session
        fields = [
            "meeting",
            "title",
            "kind",
            "status",
            "track",
            "abstract",
            "language",
            "room",
            "starts_at",
            "ends_at",
            "capacity",
            "requires_booking",
            "external_id",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self._meeting()
        self.set_meeting_zone(meeting.tzinfo if meeting else None)
        self._scope_choices(meeting)

    def _meeting(self) -> Meeting | None:
        """The session's meeting; on the add form, the one chosen (posted, or ?meeting=)."""
        if self.instance.meeting_id:
            return self.instance.meeting
        field = self.fields.get("meeting")
        chosen = self.data.get("meeting") if self.is_bound else self.initial.get("meeting")
        if field is None or not chosen:
            return None
        try:
            return field.clean(chosen)  # the meetings this user may choose, nothing else
        except forms.ValidationError:
            return None

    def _scope_choices(self, meeting: Meeting | None) -> None:
        """Tracks and rooms of the session's meeting only. Before a meeting is chosen, those
        of the meetings the user may choose, each named with its meeting."""
        tracks, rooms = self.fields.get("track"), self.fields.get("room")
        if meeting is not None:
            if tracks:
                tracks.queryset = Track.objects.filter(meeting=meeting)
            if rooms:
                rooms.queryset = Room.objects.filter(venue_id=meeting.venue_id)
            return
        meetings = (
            self.fields["meeting"].queryset if "meeting" in self.fields else Meeting.objects.none()
        )
        if tracks:
            tracks.queryset = Track.objects.filter(meeting__in=meetings).select_related("meeting")
            tracks.label_from_instance = lambda track: f"{track.meeting}: {track}"
        if rooms:
            rooms.queryset = (
                Room.objects.filter(venue__meetings__in=meetings).select_related("venue").distinct()
            )
            rooms.label_from_instance = lambda room: f"{room.venue}: {room}"

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not getattr(self.instance, "meeting_id", None):
            return
        try:
            services.session_check(session=self.instance)
        except services.AgendaError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, str(exc))


class SessionSpeakerFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or not self.instance.meeting_id:
            return
        wanted = [speaker for speaker, _role in self.wanted()]
        for speaker in wanted:
            if speaker.meeting_id != self.instance.meeting_id:
                raise forms.ValidationError(
                    _("%(speaker)s is a speaker of another meeting.") % {"speaker": speaker.name}
                )
        try:
            services.session_check(session=self.instance, speaker_ids=[s.pk for s in wanted])
        except services.AgendaError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def wanted(self) -> list[tuple[Speaker, str]]:
        """The (speaker, role) pairs the valid forms ask for, in their position order."""
        rows = [
            (form.cleaned_data.get("position") or 0, index, form.cleaned_data)
            for index, form in enumerate(self.forms)
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("speaker")
        ]
        return [(data["speaker"], data["role"]) for _pos, _index, data in sorted(rows)]

    def save_through_services(self, session: Session) -> None:
        """Apply the forms' speakers with the agenda services (meeting lock, clash checks).

        Only what changed is written; an AgendaError propagates, so the caller's
        transaction (the admin's, around the whole save) is rolled back.
        """
        result = services.session_speakers_set(session=session, speakers=self.wanted())
        self.new_objects, self.deleted_objects = result.added, result.removed
        self.changed_objects = []
        if result.reordered:
            self.changed_objects = [
                (link, ["position"]) for link in session.speaker_links.select_related("speaker")
            ]


class SessionSpeakerInline(admin.TabularInline):
    """The session's speakers, chosen among its meeting's (saved by SessionAdmin.save_related)."""

    model = SessionSpeaker
    formset = SessionSpeakerFormSet
    extra = 0
    fields = ["speaker", "role", "position"]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["formfield_callback"] = partial(
            self.formfield_for_dbfield, request=request, session=obj
        )
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        session = kwargs.pop("session", None)
        if db_field.name == "speaker":
            kwargs["queryset"] = self.speaker_choices(request, session)
            kwargs["error_messages"] = {
                "invalid_choice": _("Choose a speaker of this session's meeting.")
            }
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name != "speaker":
            kwargs.pop("session", None)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @staticmethod
    def speaker_choices(request, session: Session | None):
        """The session's meeting's speakers; on the add form, those of the user's meetings."""
        speakers = Speaker.objects.select_related("meeting").order_by("meeting", "name")
        if session is not None and session.meeting_id:
            return speakers.filter(meeting_id=session.meeting_id)
        if request.user.is_superuser:
            return speakers
        return speakers.filter(meeting__in=Meeting.objects.organized_by(request.user))


@admin.register(Session)
class SessionAdmin(MeetingScopedAdminMixin, MeetingZoneAdminMixin, admin.ModelAdmin):
    form = SessionAdminForm
    list_display = ["title", "meeting", "kind", "status", "starts", "room", "track", "sequence"]
    list_filter = ["meeting", DayFilter, "room", "track", "kind", "status"]
    list_select_related = ["meeting", "room", "track"]
    search_fields = ["title", "abstract", "external_id", "speakers__name"]
    readonly_fields = ["sequence", "updated_at"]
    inlines = [SessionSpeakerInline]
    fieldsets = [
        (
            None,
            {"fields": ["meeting", "title", "kind", "status", "track", "abstract", "language"]},
        ),
        (
            "When and where (times in the meeting's time zone)",
            {"fields": ["room", "starts_at", "ends_at", "capacity", "requires_booking"]},
        ),
        ("Bookkeeping", {"fields": ["external_id", "sequence", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The services move no session to another meeting (nor its speakers, track, room),
        # so the meeting is chosen on the add form only.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "meeting"] if obj is not None else fields

    @admin.display(description="starts at (meeting time)", ordering="starts_at")
    def starts(self, session: Session) -> str:
        return meeting_time(session.starts_at, session.meeting)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.AgendaError as exc:
            # A service refused inside the admin's transaction (a concurrent change won the
            # race): that transaction is rolled back, so nothing of this save is kept.
            messages.error(request, f"Not saved: {exc}")
            return HttpResponseRedirect(request.get_full_path())

    def meeting_zone(self, request, object_id) -> zoneinfo.ZoneInfo | None:
        if object_id and str(object_id).isascii() and str(object_id).isdigit():
            name = Session.objects.filter(pk=object_id).values_list("meeting__timezone", flat=True)
            name = name.first()
            return zoneinfo_of(name) if name else None
        return None

    def save_model(self, request, obj, form, change):
        """Write through the services: rules checked again under the meeting lock,
        sequence bumped, attendees' hook called. An AgendaError ends the save (see
        changeform_view)."""
        data = {name: form.cleaned_data[name] for name in services.SESSION_FIELDS}
        if change:
            saved = services.session_update(session=Session.objects.get(pk=obj.pk), data=data)
        else:
            saved = services.session_create(meeting=form.cleaned_data["meeting"], **data)
        obj.pk, obj.sequence = saved.pk, saved.sequence

    def save_related(self, request, form, formsets, change):
        """The speakers inline is written through the services too, in the same transaction."""
        form.save_m2m()
        session = Session.objects.select_related("meeting").get(pk=form.instance.pk)
        for formset in formsets:
            if isinstance(formset, SessionSpeakerFormSet):
                formset.save_through_services(session)
            else:
                self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        try:
            services.session_delete(session=obj)
        except services.AgendaError as exc:
            messages.error(request, str(exc))

    @admin.action(description=_("Cancel the selected sessions"))
    def cancel_sessions(self, request, queryset):
        self._each(request, queryset, services.session_cancel)

    @admin.action(description=_("Restore the selected cancelled sessions"))
    def restore_sessions(self, request, queryset):
        self._each(request, queryset, services.session_restore)

    actions = ["cancel_sessions", "restore_sessions"]

    def _each(self, request, queryset, service):
        done = 0
        for session in queryset:
            try:
                service(session=session)
                done += 1
            except services.AgendaError as exc:
                messages.error(request, str(exc))
        messages.success(request, f"{done} session(s) changed.")


@admin.register(Speaker)
class SpeakerAdmin(MeetingScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "meeting", "organization", "job_title"]
    list_filter = ["meeting"]
    search_fields = ["name", "slug", "email", "organization__name"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["meeting", "organization"]


@admin.register(Track)
class TrackAdmin(MeetingScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "meeting", "colour", "position"]
    list_filter = ["meeting"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class SessionInline(admin.TabularInline):
    """The meeting's sessions, each linking to its own form (which writes through the services)."""

    model = Session
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ["title", "kind", "status", "starts_at", "room", "track"]
    readonly_fields = fields
    ordering = ["starts_at", "room__position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("room", "track")


class MeetingWithAgendaAdmin(MeetingAdmin):
    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), SessionInline]


admin.site.unregister(Meeting)
admin.site.register(Meeting, MeetingWithAgendaAdmin)
