"""The agenda in the admin, scoped to the meetings a staff user organizes.

Session changes go through the services, so the admin refuses what the API
and the board refuse, with the same messages (as form errors).
"""

import datetime as dt
import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda import services
from agenda.models import Session, SessionSpeaker, Speaker, Track
from events.admin import MeetingAdmin, MeetingScopedAdminMixin
from events.models import Meeting


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
        day = dt.date.fromisoformat(self.value())
        condition = Q(pk__in=[])
        for tz in set(queryset.values_list("meeting__timezone", flat=True)):
            start = dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo_of(tz))
            condition |= Q(
                meeting__timezone=tz,
                starts_at__gte=start,
                starts_at__lt=start + dt.timedelta(days=1),
            )
        return queryset.filter(condition)


def zoneinfo_of(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


class SessionAdminForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "meeting",
            "title",
            "kind",
            "status",
            "track",
            "abstract",
            "room",
            "starts_at",
            "ends_at",
            "capacity",
            "requires_booking",
            "external_id",
        ]

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not getattr(self.instance, "meeting_id", None):
            return
        try:
            services.session_check(session=self.instance)
        except services.AgendaError as exc:
            self.add_error(None, str(exc))


class SessionSpeakerFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        new_ids = [
            form.cleaned_data["speaker"].pk
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("speaker")
        ]
        try:
            services.session_check(session=self.instance, speaker_ids=new_ids)
        except services.AgendaError as exc:
            raise forms.ValidationError(str(exc)) from exc


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    formset = SessionSpeakerFormSet
    extra = 0
    fields = ["speaker", "role", "position"]
    autocomplete_fields = ["speaker"]


@admin.register(Session)
class SessionAdmin(MeetingScopedAdminMixin, admin.ModelAdmin):
    form = SessionAdminForm
    list_display = ["title", "meeting", "kind", "status", "starts", "room", "track", "sequence"]
    list_filter = ["meeting", DayFilter, "room", "track", "kind", "status"]
    list_select_related = ["meeting", "room", "track"]
    search_fields = ["title", "abstract", "external_id", "speakers__name"]
    readonly_fields = ["sequence", "updated_at"]
    inlines = [SessionSpeakerInline]
    fieldsets = [
        (None, {"fields": ["meeting", "title", "kind", "status", "track", "abstract"]}),
        (
            "When and where (times in the meeting's time zone)",
            {"fields": ["room", "starts_at", "ends_at", "capacity", "requires_booking"]},
        ),
        ("Bookkeeping", {"fields": ["external_id", "sequence", "updated_at"]}),
    ]

    @admin.display(description="starts at (meeting time)", ordering="starts_at")
    def starts(self, session: Session) -> str:
        # The list renders in the server's zone (UTC); people read the meeting's.
        if session.starts_at is None:
            return "-"
        local = timezone.localtime(session.starts_at, session.meeting.tzinfo)
        return f"{local:%a %d %b %Y, %H:%M} {local.tzname()}"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Show and read the times in the meeting's own zone, not the server's: the
        # chosen meeting's when a form is posted, else the session's (or ?meeting=).
        with timezone.override(self._meeting_tz(request, object_id)):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _meeting_tz(self, request, object_id) -> zoneinfo.ZoneInfo | None:
        meeting_id = request.POST.get("meeting") or request.GET.get("meeting")
        if meeting_id and str(meeting_id).isdigit():
            name = Meeting.objects.filter(pk=meeting_id).values_list("timezone", flat=True)
        elif object_id and str(object_id).isdigit():
            name = Session.objects.filter(pk=object_id).values_list("meeting__timezone", flat=True)
        else:
            return None
        name = name.first()
        return zoneinfo_of(name) if name else None

    def save_model(self, request, obj, form, change):
        """Write through the services: rules checked again under the meeting lock,
        sequence bumped, attendees' hook called."""
        data = {name: form.cleaned_data[name] for name in services.SESSION_FIELDS}
        try:
            if change:
                saved = services.session_update(session=Session.objects.get(pk=obj.pk), data=data)
            else:
                saved = services.session_create(meeting=form.cleaned_data["meeting"], **data)
        except services.AgendaError as exc:  # a concurrent change won the race
            messages.error(request, f"Not saved: {exc}")
            return
        obj.pk, obj.sequence = saved.pk, saved.sequence

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
