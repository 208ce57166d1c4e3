import copy
import zoneinfo

from django import forms
from django.contrib import admin
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.forms import MeetingTimeField, MeetingTimesForm
from events.models import Meeting, MeetingOrganizer, Organization, Room, Venue
from events.regions import region_match
from events.selectors import shared_record_editable_by
from events.services import (
    FRAME_FIELDS,
    MeetingError,
    meeting_check,
    meeting_create,
    meeting_update,
)


class MeetingScopedAdminMixin:
    """Staff who are not superusers see and change only the meetings they organize.

    ``meeting_lookup`` is the ORM path from the admin's model to its meeting.
    """

    meeting_lookup = "meeting"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            **{
                f"{self.meeting_lookup}__organizer_roles__user": request.user,
                f"{self.meeting_lookup}__organizer_roles__role": MeetingOrganizer.Role.ORGANIZER,
            }
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting" and not request.user.is_superuser:
            kwargs["queryset"] = Meeting.objects.organized_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        """A filter on a relation (meeting, room, track) lists only what the user's rows use,
        not every meeting's (drafts included)."""
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [
            (name, admin.RelatedOnlyFieldListFilter) if self._is_relation(name) else name
            for name in filters
        ]

    def _is_relation(self, name) -> bool:
        if not isinstance(name, str) or "__" in name:
            return False
        field = self.model._meta.get_field(name)
        return isinstance(field, models.ForeignKey | models.ManyToManyField)


class SharedRecordAdminMixin:
    """Organisations and venues (with their rooms) are shared by meetings.

    Staff who are not superusers may add them and see them all; they may change
    or delete one only while every meeting showing it is one they organize
    (``events.selectors.shared_record_editable_by``): the others are read-only for
    them, so an organizer cannot change what another meeting shows.
    """

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.editable(request, obj)

    @staticmethod
    def editable(request, obj) -> bool:
        return obj is None or shared_record_editable_by(user=request.user, record=obj)


def meeting_time(value, meeting: Meeting) -> str:
    """A time for an admin list, in its meeting's zone with the zone named (lists render in
    the server's UTC, and one list can hold several meetings)."""
    if value is None:
        return "-"
    local = timezone.localtime(value, meeting.tzinfo)
    return f"{local:%a %d %b %Y, %H:%M} {local.tzname()}"


class MeetingZoneAdminMixin:
    """An object's admin page renders its read-only times in its meeting's zone.

    Editable times name their zone themselves (``events.forms.MeetingTimeField``);
    read-only ones are formatted by the admin in the active zone, so the page is
    rendered here, inside the meeting's zone, rather than lazily after the view
    has returned (when only the server's UTC is left).
    """

    def meeting_zone(self, request, object_id) -> zoneinfo.ZoneInfo | None:
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        zone = self.meeting_zone(request, object_id)
        if zone is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if isinstance(response, TemplateResponse):
                response.render()
        return response


class RegionLegacyAdminMixin:
    """region_legacy (text kept from before regions were a list) is shown, read-only, where set.

    It records what was typed; the select above is what counts. Search finds a
    region by any of its names (any case, accents or alias), as the list shows
    names, not codes.
    """

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if "region_legacy" in fields and not (obj and obj.region_legacy):
            fields.remove("region_legacy")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "region_legacy"]

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        code = region_match(search_term)
        if code:
            results |= queryset.filter(region=code)
        return results, may_have_duplicates


@admin.register(Organization)
class OrganizationAdmin(SharedRecordAdminMixin, RegionLegacyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "region_legacy"]


class RoomInline(admin.TabularInline):
    """The venue's rooms: added, changed and deleted only where the venue may be changed."""

    model = Room
    extra = 0
    fields = ["name", "capacity", "position"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and SharedRecordAdminMixin.editable(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and SharedRecordAdminMixin.editable(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and SharedRecordAdminMixin.editable(
            request, obj
        )


@admin.register(Venue)
class VenueAdmin(SharedRecordAdminMixin, admin.ModelAdmin):
    list_display = ["name", "city", "country"]
    search_fields = ["name", "city", "address"]
    inlines = [RoomInline]


class MeetingOrganizerInline(admin.TabularInline):
    model = MeetingOrganizer
    extra = 0
    autocomplete_fields = ["user"]


class MeetingAdminForm(MeetingTimesForm, forms.ModelForm):
    """The registration window is shown and read in the meeting's zone: the zone posted
    with it (a changed zone applies to the times saved with it), else the meeting's."""

    registration_opens_at = MeetingTimeField(label=_("Registration opens"), required=False)
    registration_closes_at = MeetingTimeField(label=_("Registration closes"), required=False)

    class Meta:
        model = Meeting
        fields = "__all__"  # noqa: DJ007 (MeetingAdmin.fieldsets choose the fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shown = self.instance.timezone if self.instance.pk else self["timezone"].initial
        name = self.data.get("timezone") if self.is_bound else None
        if not name or name not in zoneinfo.available_timezones():
            name = shown
        # A window nobody touched keeps its instants when the zone changes with it, as the
        # sessions do; one that was typed is read in the new zone.
        self.set_meeting_zone(
            zoneinfo.ZoneInfo(name or "UTC"), shown=zoneinfo.ZoneInfo(shown or "UTC")
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # meeting_update checks again under its lock; checked here too, so that a refusal
            # is shown on the form: the agenda frame's for the whole form, capacity's on it.
            self.check_rules(cleaned, FRAME_FIELDS, field=None)
            self.check_rules(cleaned, ["capacity"], field="capacity")
        return cleaned

    def check_rules(self, cleaned: dict, names, *, field: str | None) -> None:
        changed = [name for name in names if name in self.changed_data and name in cleaned]
        if not changed:
            return
        candidate = copy.copy(self.instance)
        for name in changed:
            setattr(candidate, name, cleaned[name])
        try:
            meeting_check(meeting=candidate, changed=changed)
        except MeetingError as exc:
            self.add_error(field, str(exc))


@admin.register(Meeting)
class MeetingAdmin(MeetingScopedAdminMixin, MeetingZoneAdminMixin, admin.ModelAdmin):
    form = MeetingAdminForm
    list_select_related = ["venue"]
    meeting_lookup = ""
    list_display = ["title", "slug", "starts_on", "ends_on", "status", "capacity", "venue"]
    list_filter = ["status", "starts_on", "requires_approval", "language"]
    search_fields = ["title", "slug", "description"]
    date_hierarchy = "starts_on"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organizations"]
    inlines = [MeetingOrganizerInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "description", "language"]}),
        ("When and where", {"fields": ["starts_on", "ends_on", "timezone", "venue"]}),
        (
            "Registration",
            {
                "fields": [
                    "registration_opens_at",
                    "registration_closes_at",
                    "capacity",
                    "requires_approval",
                    "hold_unconfirmed_seats",
                    "contact_email",
                ]
            },
        ),
        ("Organisations taking part", {"fields": ["organizations"]}),
    ]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            organizer_roles__user=request.user,
            organizer_roles__role=MeetingOrganizer.Role.ORGANIZER,
        )

    def meeting_zone(self, request, object_id) -> zoneinfo.ZoneInfo | None:
        if object_id and str(object_id).isascii() and str(object_id).isdigit():
            name = Meeting.objects.filter(pk=object_id).values_list("timezone", flat=True).first()
            return zoneinfo.ZoneInfo(name) if name else None
        return None

    def save_model(self, request, obj, form, change):
        """Through the meeting services, which check the rules again under the meeting's lock
        and do what a change sets off (a cancellation's emails, seats added to the waitlist).
        """
        if not change:
            # Its creator organizes it, in the admin's transaction with the meeting;
            # superusers hand out the roles in the organizers inline instead.
            organizer = None if request.user.is_superuser else request.user
            meeting_create(meeting=obj, organizer=organizer)
            return
        if not form.has_changed():
            return  # saved untouched: nothing is written (updated_at, feeds' Last-Modified)
        # The form has already set the new values on obj; many-to-many fields are saved
        # with the form's related objects, after this.
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if not Meeting._meta.get_field(name).many_to_many
        }
        meeting_update(meeting=obj, data=data)

    def get_inlines(self, request, obj):
        # Only superusers hand out organizer roles.
        return self.inlines if request.user.is_superuser else []
