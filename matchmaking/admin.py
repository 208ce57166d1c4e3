"""B2B meetings in the admin: what is there, scoped to the meetings a staff user organizes.

Every write here belongs to a service (the organizers' workspace under
``/meetings/<slug>/manage/matchmaking/`` is where settings, sectors and
matchmaking sessions are edited, participants edit their own profiles), so the
pages are read-only; the few actions call the services: validate a profile or
take it back, cancel a request as the organizers (both people are emailed),
remove a sector or a marketplace entry. Nothing here deletes a scheduled
meeting, a slot or a table. Times are shown in each meeting's zone.
"""

import zoneinfo

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin import MeetingScopedAdminMixin, MeetingZoneAdminMixin, meeting_time
from matchmaking.models import (
    B2BSession,
    MarketplaceEntry,
    Matchmaking,
    MeetingRequest,
    Profile,
    Sector,
    Slot,
    Table,
)
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.profiles import entry_delete, profile_validate
from matchmaking.services.requests import request_cancel
from matchmaking.services.setup import sector_delete

Status = MeetingRequest.Status


class B2BAdminMixin(MeetingScopedAdminMixin, MeetingZoneAdminMixin):
    """Scoped to the user's meetings, times in the row's meeting's zone, read-only: the
    services own every write (``can_delete`` lets a subclass delete through one)."""

    can_delete = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.can_delete and super().has_delete_permission(request, obj)

    def meeting_zone(self, request, object_id) -> zoneinfo.ZoneInfo | None:
        if not (object_id and str(object_id).isascii() and str(object_id).isdigit()):
            return None
        name = (
            self.get_queryset(request)
            .filter(pk=object_id)
            .values_list(f"{self.meeting_lookup}__timezone", flat=True)
            .first()
        )
        return zoneinfo.ZoneInfo(name) if name else None

    def _permitted(self, request, codename: str) -> bool:
        return request.user.has_perm(f"{self.opts.app_label}.{codename}_{self.opts.model_name}")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Matchmaking)
class MatchmakingAdmin(B2BAdminMixin, admin.ModelAdmin):
    list_display = [
        "meeting",
        "enabled",
        "request_mode",
        "scheduling_mode",
        "profiles_need_validation",
        "opens",
        "closes",
    ]
    list_filter = ["enabled", "request_mode", "scheduling_mode"]
    list_select_related = ["meeting"]
    fields = [
        "meeting",
        "enabled",
        "request_mode",
        "scheduling_mode",
        "profiles_need_validation",
        "opens_at",
        "closes_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("requests open (meeting time)"), ordering="opens_at")
    def opens(self, matchmaking: Matchmaking) -> str:
        return meeting_time(matchmaking.opens_at, matchmaking.meeting)

    @admin.display(description=_("requests close (meeting time)"), ordering="closes_at")
    def closes(self, matchmaking: Matchmaking) -> str:
        return meeting_time(matchmaking.closes_at, matchmaking.meeting)


@admin.register(Sector)
class SectorAdmin(B2BAdminMixin, admin.ModelAdmin):
    can_delete = True
    list_display = ["name", "meeting", "position", "profile_count"]
    list_filter = ["meeting"]
    list_select_related = ["meeting"]
    search_fields = ["name"]
    fields = ["meeting", "name", "position", "created_at", "updated_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_profiles=Count("profiles"))

    @admin.display(description=_("profiles"), ordering="n_profiles")
    def profile_count(self, sector: Sector) -> int:
        return sector.n_profiles

    def delete_model(self, request, obj):
        sector_delete(sector=obj)

    def delete_queryset(self, request, queryset):
        for sector in queryset:
            sector_delete(sector=sector)


class SlotInline(ReadOnlyInline):
    model = Slot
    fields = ["position", "starts", "ends"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("b2b_session__meeting")

    @admin.display(description=_("starts at (meeting time)"))
    def starts(self, slot: Slot) -> str:
        return meeting_time(slot.starts_at, slot.b2b_session.meeting)

    @admin.display(description=_("ends at (meeting time)"))
    def ends(self, slot: Slot) -> str:
        return meeting_time(slot.ends_at, slot.b2b_session.meeting)


class TableInline(ReadOnlyInline):
    model = Table
    fields = ["name", "position", "room"]
    readonly_fields = fields


@admin.register(B2BSession)
class B2BSessionAdmin(B2BAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "meeting",
        "starts",
        "slot_minutes",
        "max_meetings_per_person",
        "slot_count",
        "table_count",
        "scheduled_count",
    ]
    list_filter = ["meeting"]
    list_select_related = ["meeting", "session"]
    search_fields = ["session__title"]
    fields = ["meeting", "session", "slot_minutes", "max_meetings_per_person", "updated_at"]
    readonly_fields = fields
    inlines = [SlotInline, TableInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_slots=Count("slots", distinct=True),
                n_tables=Count("tables", distinct=True),
                n_scheduled=Count(
                    "slots__meetings",
                    filter=Q(slots__meetings__status=Status.SCHEDULED),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("starts at (meeting time)"), ordering="session__starts_at")
    def starts(self, b2b_session: B2BSession) -> str:
        return meeting_time(b2b_session.session.starts_at, b2b_session.meeting)

    @admin.display(description=_("slots"), ordering="n_slots")
    def slot_count(self, b2b_session: B2BSession) -> int:
        return b2b_session.n_slots

    @admin.display(description=_("tables"), ordering="n_tables")
    def table_count(self, b2b_session: B2BSession) -> int:
        return b2b_session.n_tables

    @admin.display(description=_("scheduled meetings"), ordering="n_scheduled")
    def scheduled_count(self, b2b_session: B2BSession) -> int:
        return b2b_session.n_scheduled


class MarketplaceEntryInline(ReadOnlyInline):
    model = MarketplaceEntry
    fields = ["kind", "title", "description", "created_at"]
    readonly_fields = fields


class ValidatedFilter(admin.SimpleListFilter):
    title = _("validated")
    parameter_name = "validated"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(validated_at__isnull=self.value() == "no")
        return queryset


@admin.register(Profile)
class ProfileAdmin(B2BAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "organization_label", "meeting", "listed", "validated"]
    list_filter = ["meeting", "listed", ValidatedFilter, "region"]
    list_select_related = ["meeting", "registration", "organization"]
    search_fields = [
        "registration__first_name",
        "registration__last_name",
        "registration__organization_name",
        "organization__name",
        "role",
    ]
    fields = [
        "meeting",
        "registration",
        "organization",
        "role",
        "pitch",
        "sectors",
        "region",
        "website",
        "languages",
        "listed",
        "validated_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [MarketplaceEntryInline]
    actions = ["validate", "take_validation_back"]

    @admin.display(description=_("validated (meeting time)"), ordering="validated_at")
    def validated(self, profile: Profile) -> str:
        return meeting_time(profile.validated_at, profile.meeting)

    def has_validate_permission(self, request) -> bool:
        return self._permitted(request, "change")

    def _validate(self, request, queryset, *, validated: bool) -> None:
        changed = 0
        for profile in queryset:
            if (profile.validated_at is not None) != validated:
                profile_validate(profile=profile, validated=validated)
                changed += 1
        text = (
            ngettext("%(count)d profile validated.", "%(count)d profiles validated.", changed)
            if validated
            else ngettext(
                "%(count)d profile is no longer validated.",
                "%(count)d profiles are no longer validated.",
                changed,
            )
        )
        self.message_user(request, text % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Validate (shown to others once listed)"), permissions=["validate"])
    def validate(self, request, queryset):
        self._validate(request, queryset, validated=True)

    @admin.action(description=_("Take the validation back"), permissions=["validate"])
    def take_validation_back(self, request, queryset):
        self._validate(request, queryset, validated=False)


@admin.register(MarketplaceEntry)
class MarketplaceEntryAdmin(B2BAdminMixin, admin.ModelAdmin):
    can_delete = True
    meeting_lookup = "profile__meeting"
    list_display = ["title", "kind", "profile", "meeting"]
    list_filter = [("profile__meeting", admin.RelatedOnlyFieldListFilter), "kind"]
    list_select_related = ["profile__registration", "profile__meeting"]
    search_fields = ["title", "description"]
    fields = ["profile", "kind", "title", "description", "created_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("meeting"), ordering="profile__meeting")
    def meeting(self, entry: MarketplaceEntry):
        return entry.profile.meeting

    def delete_model(self, request, obj):
        entry_delete(entry=obj)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            entry_delete(entry=entry)


@admin.register(MeetingRequest)
class MeetingRequestAdmin(B2BAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "status", "when", "table", "meeting", "created_at"]
    list_filter = ["meeting", "status"]
    list_select_related = ["meeting", "requester", "recipient", "slot", "table"]
    search_fields = [
        "requester__first_name",
        "requester__last_name",
        "recipient__first_name",
        "recipient__last_name",
    ]
    date_hierarchy = "created_at"
    fields = [
        "meeting",
        "requester",
        "recipient",
        "status",
        "message",
        "preferred_session",
        "slot",
        "table",
        "locked",
        "decline_reason",
        "cancelled_by",
        "sequence",
        "created_at",
        "responded_at",
        "scheduled_at",
        "cancelled_at",
        "updated_at",
    ]
    readonly_fields = fields
    actions = ["cancel"]

    @admin.display(description=_("when (meeting time)"), ordering="slot__starts_at")
    def when(self, request: MeetingRequest) -> str:
        return meeting_time(request.slot.starts_at if request.slot else None, request.meeting)

    def has_cancel_permission(self, request) -> bool:
        return self._permitted(request, "change")

    @admin.action(
        description=_("Cancel as the organizers (both people are emailed)"), permissions=["cancel"]
    )
    def cancel(self, request, queryset):
        cancelled = 0
        for meeting_request in queryset.select_related("meeting"):
            try:
                request_cancel(request=meeting_request, by=None)
            except MatchmakingError as exc:
                self.message_user(request, f"{meeting_request}: {exc}", messages.WARNING)
            else:
                cancelled += 1
        self.message_user(
            request,
            ngettext("%(count)d request cancelled.", "%(count)d requests cancelled.", cancelled)
            % {"count": cancelled},
            messages.SUCCESS if cancelled else messages.WARNING,
        )
