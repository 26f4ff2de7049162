from django.contrib import admin

from helpdesk.models import Article, InboundEmail, Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: tickets change through helpdesk.services (the support pages)."""

    list_display = ("code", "subject", "status", "priority", "requester_email", "created")
    list_filter = ("status", "priority", "category", "channel")
    search_fields = ("code", "subject", "requester_email", "requester_name")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    """What became of the support mailbox's messages (the messages as they came are the
    intake's: core.intake); failed ones show why."""

    list_display = ("received", "message_id", "status", "outcome", "ticket", "error")
    list_filter = ("status",)
    readonly_fields = ("inbound", "received", "message_id", "status", "outcome", "ticket", "error")

    def has_add_permission(self, request):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title_et", "category", "is_public", "updated")
    list_filter = ("category", "is_public")
    search_fields = ("title_et", "title_en", "title_ru", "body_et")
