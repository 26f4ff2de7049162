from django.contrib import admin

from correspondence.models import Dispatch, DispatchList, Letter, LetterTemplate, SigningSession


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "language",
        "for_replies",
        "needs_signature",
        "is_active",
        "updated",
    )
    list_filter = ("language", "is_active", "for_replies", "needs_signature")
    search_fields = ("name", "code", "subject")


class DispatchInline(admin.TabularInline):
    model = Dispatch
    extra = 0
    can_delete = False
    fields = ("name", "channel", "status", "sent_at", "tracking_code", "error")
    readonly_fields = fields


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    """Read-only: letters change through correspondence.services (the pages)."""

    list_display = ("number", "subject", "status", "signer", "created", "sent_at")
    list_filter = ("status", "language")
    search_fields = ("number", "subject", "dispatches__name")
    list_select_related = ("signer",)
    inlines = [DispatchInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DispatchList)
class DispatchListAdmin(admin.ModelAdmin):
    list_display = ("day", "taken_at", "taken_by")
    date_hierarchy = "day"


@admin.register(SigningSession)
class SigningSessionAdmin(admin.ModelAdmin):
    """Read-only: signings on the phone through the signing gateway (correspondence.signing)."""

    list_display = ("letter", "signer", "method", "status", "created", "finished_at", "error")
    list_filter = ("status", "method")
    list_select_related = ("letter", "signer")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
