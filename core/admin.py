from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core import events
from core.models import Event, NumberCounter, OutboundEmail, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Work"), {"fields": ("job_title", "phone")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "job_title", "is_active")
    list_filter = ("is_active", "is_staff", "groups")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that nobody edits by hand: the audit trail and the e-mail outbox."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VerbFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "verb"

    def lookups(self, request, model_admin):
        return events.verb_choices()

    def queryset(self, request, queryset):
        return queryset.filter(verb=self.value()) if self.value() else queryset


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("created", "actor", "action", "content_type", "object_repr")
    list_filter = (VerbFilter, "content_type", "created")
    search_fields = ("object_repr", "object_id", "actor__username", "actor__last_name")
    date_hierarchy = "created"
    list_select_related = ("actor", "content_type")
    show_full_result_count = False  # no COUNT(*) over a million rows on every page

    @admin.display(description=_("action"), ordering="verb")
    def action(self, event):
        return event.get_verb_display()


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ("created", "subject", "status", "attempts", "sent_at")
    list_filter = ("status",)
    search_fields = ("subject",)
    show_full_result_count = False


@admin.register(NumberCounter)
class NumberCounterAdmin(ReadOnlyAdmin):
    list_display = ("series", "year", "last")
    list_filter = ("year",)
