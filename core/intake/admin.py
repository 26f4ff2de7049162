"""The intake in the admin: mailboxes (their high-water mark and last error), incoming messages
with their attachments, and "process again" for failed ones. Rows are never added or deleted
here: messages come from the sources, and nothing of the intake is deleted without a trace."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.intake import services
from core.intake.models import InboundAttachment, InboundMessage, Mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    """``last_uid`` may be raised by hand before a first read to skip a folder's old mail."""

    list_display = ("name", "purpose", "last_uid", "uidvalidity", "last_read_at", "last_error")
    readonly_fields = ("name", "purpose", "uidvalidity", "last_read_at", "last_error")
    fields = ("name", "purpose", "uidvalidity", "last_uid", "last_read_at", "last_error")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = InboundAttachment
    fields = ("position", "name", "content_type", "size", "origin", "status", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("kept_at", "mailbox", "subject", "sender_email", "kind", "status", "outcome")
    list_filter = ("status", "kind", "mailbox", "source")
    search_fields = ("subject", "sender_email", "message_id", "raw_name")
    date_hierarchy = "kept_at"
    list_select_related = ("mailbox",)
    show_full_result_count = False
    inlines = [AttachmentInline]
    actions = ["process_again"]
    exclude = ("raw",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "raw"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=_("Process the selected failed messages again"), permissions=["change"]
    )
    def process_again(self, request, queryset):
        done = 0
        for message in queryset.filter(status=InboundMessage.Status.FAILED):
            try:
                services.message_requeue(actor=request.user, message=message)
            except ValidationError:
                continue
            done += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d message is queued again.", "%(count)d messages are queued again.", done
            )
            % {"count": done},
            messages.SUCCESS if done else messages.WARNING,
        )
