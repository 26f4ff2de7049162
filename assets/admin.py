from django.contrib import admin

from assets.models import InformationSystem, Location, ProcurementThreshold, SystemRole


class SystemRoleInline(admin.TabularInline):
    model = SystemRole
    extra = 1


@admin.register(InformationSystem)
class InformationSystemAdmin(admin.ModelAdmin):
    """Systems and their roles are kept here; rights are granted on the assets pages."""

    list_display = ("name", "owner", "main_user")
    search_fields = ("name", "owner")
    inlines = [SystemRoleInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("building", "room")
    search_fields = ("building", "room")


@admin.register(ProcurementThreshold)
class ProcurementThresholdAdmin(admin.ModelAdmin):
    """The thresholds by the day they came into force: a change of the law is a new row; the
    rows before it stay, so an old request is still judged by the rule of its day."""

    list_display = ("valid_from", "goods_services", "works", "special_services", "basis")
    ordering = ("-valid_from",)

    def has_delete_permission(self, request, obj=None):
        return False  # the history stays
