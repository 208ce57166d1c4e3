"""Admin for registrations; the outbox's admin is mail's (``mail/admin.py``).

Organizers see only the registrations of the meetings they organize. Status
changes go through the services (actions), never through the edit form, so
waitlist promotion and emails happen as everywhere else. The meeting and the
email (together the person's identity, unique per meeting and normalised by the
services) are read-only too; the form edits only the descriptive fields.
"""

import zoneinfo

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.admin import (
    MeetingScopedAdminMixin,
    MeetingZoneAdminMixin,
    RegionLegacyAdminMixin,
    meeting_time,
)
from registrations.exports import ADMIN_COLUMNS, registration_table, table_csv
from registrations.models import Registration, SessionBooking
from registrations.selectors import registration_stats
from registrations.services import (
    RegistrationError,
    registration_approve,
    registration_cancel,
    registration_promote,
    registration_reject,
    registration_resend_link,
)


class SessionBookingInline(admin.TabularInline):
    model = SessionBooking
    extra = 0
    fields = ["session", "status", "waitlisted_at", "updated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Registration)
class RegistrationAdmin(
    MeetingScopedAdminMixin, MeetingZoneAdminMixin, RegionLegacyAdminMixin, admin.ModelAdmin
):
    change_list_template = "admin/registrations/registration/change_list.html"
    list_display = [
        "full_name",
        "email",
        "organization_display",
        "region",
        "status",
        "waitlisted",
        "registered",
        "meeting",
    ]
    list_filter = [
        ("meeting", admin.RelatedOnlyFieldListFilter),
        "status",
        ("organization", admin.RelatedOnlyFieldListFilter),
        "region",
        "consent_listing",
    ]
    search_fields = [
        "first_name",
        "last_name",
        "email",
        "organization_name",
        "organization__name",
        "organization__short_name",
        "job_title",
    ]
    list_select_related = ["meeting", "organization"]
    date_hierarchy = "created_at"
    inlines = [SessionBookingInline]
    actions = [
        "approve",
        "reject",
        "promote",
        "cancel",
        "resend_link",
        "export_csv",
    ]
    fields = [
        "meeting",
        "status",
        "first_name",
        "last_name",
        "email",
        "organization",
        "organization_name",
        "job_title",
        "region",
        "region_legacy",
        "language",
        "waitlisted_at",
        "consent_processing_at",
        "consent_text_version",
        "consent_listing",
        "checked_in_at",
        "cancelled_at",
        "link_opened_at",
        "hold_expires_at",
        "created_at",
    ]
    readonly_fields = [
        "meeting",
        "status",
        "email",
        "waitlisted_at",
        "consent_processing_at",
        "consent_text_version",
        "consent_listing",
        "checked_in_at",
        "cancelled_at",
        "link_opened_at",
        "hold_expires_at",
        "created_at",
    ]

    @admin.display(description=_("registered (meeting time)"), ordering="created_at")
    def registered(self, registration: Registration) -> str:
        return meeting_time(registration.created_at, registration.meeting)

    @admin.display(description=_("waitlisted since (meeting time)"), ordering="waitlisted_at")
    def waitlisted(self, registration: Registration) -> str:
        return meeting_time(registration.waitlisted_at, registration.meeting)

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, registration: Registration) -> str:
        return registration.full_name

    @admin.display(description=_("organization"))
    def organization_display(self, registration: Registration) -> str:
        return registration.organization_display

    def has_add_permission(self, request) -> bool:
        # People register themselves (form or API), so consent is theirs.
        return False

    def meeting_zone(self, request, object_id) -> zoneinfo.ZoneInfo | None:
        if object_id and str(object_id).isascii() and str(object_id).isdigit():
            name = (
                Registration.objects.filter(pk=object_id)
                .values_list("meeting__timezone", flat=True)
                .first()
            )
            return zoneinfo.ZoneInfo(name) if name else None
        return None

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # saved untouched: nothing is written
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context=extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is None:
            return response
        meetings = {r.meeting for r in changelist.result_list}
        counts = dict.fromkeys(Registration.Status.values, 0)
        for row in changelist.queryset.order_by().values("status").annotate(count=Count("pk")):
            counts[row["status"]] = row["count"]
        response.context_data["status_counts"] = [
            (Registration.Status(status).label, count) for status, count in counts.items()
        ]
        if len(meetings) == 1 and "meeting__id__exact" in request.GET:
            meeting = meetings.pop()
            response.context_data["stats_meeting"] = meeting
            response.context_data["stats"] = registration_stats(meeting=meeting)
        return response

    def _run(self, request, queryset, service, done: str, **extra) -> None:
        changed, refused = 0, []
        for registration in queryset.select_related("meeting"):
            try:
                service(registration=registration, **extra)
            except RegistrationError as exc:
                refused.append(f"{registration.full_name}: {exc.message}")
            else:
                changed += 1
        if changed:
            self.message_user(request, f"{done}: {changed}.", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description=_("Approve (a seat, or the waitlist when full)"))
    def approve(self, request, queryset):
        self._run(request, queryset, registration_approve, "Approved")

    @admin.action(description=_("Reject"))
    def reject(self, request, queryset):
        self._run(request, queryset, registration_reject, "Rejected")

    @admin.action(description=_("Move from the waitlist into a free seat"))
    def promote(self, request, queryset):
        self._run(request, queryset, registration_promote, "Moved from the waitlist")

    @admin.action(description=_("Cancel (the next person waiting is promoted)"))
    def cancel(self, request, queryset):
        self._run(request, queryset, registration_cancel, "Cancelled", by_organizer=True)

    @admin.action(description=_("Resend the private link by email"))
    def resend_link(self, request, queryset):
        self._run(request, queryset, registration_resend_link, "Link sent again")

    @admin.action(description=_("Export as CSV"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="registrations-{stamp}.csv"'
        registrations = queryset.select_related("meeting", "organization").prefetch_related(
            "bookings__session"
        )
        rows = registration_table(
            registrations.order_by("meeting", "created_at", "pk"), columns=ADMIN_COLUMNS
        )
        response.write(table_csv(rows))
        return response
