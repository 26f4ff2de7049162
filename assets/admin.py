from django.contrib import admin

from assets.models import InformationSystem, Location, SystemRole


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
