"""Admin for the email outbox: organizers see what was sent, what waits and what failed, and why."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin import MeetingScopedAdminMixin
from mail.models import OutboxMessage
from mail.services import outbox_message_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(MeetingScopedAdminMixin, admin.ModelAdmin):
    # The error next to the recipient: what an organizer looks for first.
    list_display = [
        "recipient",
        "status",
        "last_error_short",
        "attempts",
        "kind",
        "meeting",
        "created_at",
    ]
    list_filter = ["status", "kind", "meeting"]
    search_fields = ["recipient"]
    list_select_related = ["meeting"]
    date_hierarchy = "created_at"
    actions = ["retry_sending"]
    readonly_fields = [
        "kind",
        "recipient",
        "meeting",
        "registration",
        "session",
        "payload",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "dedupe_key",
        "created_at",
        "updated_at",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False  # emails are written by the services that cause them

    def has_change_permission(self, request, obj=None):
        return False  # a record of what happened; "retry sending" is the only action

    def has_delete_permission(self, request, obj=None):
        return False  # deleting a pending row would silently drop an email

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        # An organizer's meeting filter lists only their meetings.
        return ["status", "kind", ("meeting", admin.RelatedOnlyFieldListFilter)]

    @admin.display(description=_("last error"))
    def last_error_short(self, message: OutboxMessage) -> str:
        error = message.last_error
        return error if len(error) <= 60 else f"{error[:59]}…"

    @admin.action(description=_("Retry sending the selected emails"))
    def retry_sending(self, request, queryset):
        retried = 0
        for message in queryset.exclude(status=OutboxMessage.Status.SENT):
            outbox_message_retry(message=message)
            retried += 1
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", retried)
            % {"count": retried},
            messages.SUCCESS if retried else messages.WARNING,
        )
