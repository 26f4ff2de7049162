"""Parties in the admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from registry import services
from registry.models import (
    Party,
)


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ("is_private_person", "name", "code", "address", "email", "phone")


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    form = PartyForm
    list_display = ("name", "is_private_person", "code", "email", "phone", "created")
    list_filter = ("is_private_person",)
    search_fields = ("name", "code", "email")
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.party_update(actor=request.user, party=obj, **data)
        else:
            obj.pk = services.party_create(actor=request.user, **data).pk
