from django.contrib import admin

from mtr.models import ActivityArea, Application, Entry


@admin.register(ActivityArea)
class ActivityAreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name_et", "emtak_code", "kind", "number_prefix", "fee", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name_et", "name_en", "name_ru", "emtak_code")


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read-only: entries change through decisions (mtr.services)."""

    list_display = ("number", "business", "area", "status", "valid_from", "valid_to")
    list_filter = ("status", "area")
    search_fields = ("number", "business__name", "business__registry_code")
    list_select_related = ("business", "area")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(EntryAdmin):
    list_display = ("tracking_code", "business_name", "area", "type", "status", "deadline")
    list_filter = ("status", "type", "area")
    search_fields = ("tracking_code", "business_name", "registry_code")
    list_select_related = ("area",)
