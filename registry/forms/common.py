"""Form helpers the register's forms and views share."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from core import roles


def staff_users():
    """Active people who may see the register: those a document can be given to (a fresh
    queryset, cloned from one built once per process: core.roles.once)."""
    return roles.once(_staff_users)


def _staff_users():
    permission = Q(
        groups__permissions__codename="view_document",
        groups__permissions__content_type__app_label="registry",
    ) | Q(
        user_permissions__codename="view_document",
        user_permissions__content_type__app_label="registry",
    )
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(
        pk__in=get_user_model().objects.filter(permission | Q(is_superuser=True)).values("pk")
    ).order_by("last_name", "first_name", "username")


def add_service_errors(form: forms.Form, error: ValidationError, field_map=None, default=None):
    """Put a service's ValidationError on the form: a message for a field next to the field
    (``field_map`` renames the service's keys to the form's fields), the rest above the form.
    ``default`` is the field that gets messages without a key."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            field = field_map.get(key, key)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(default if default in form.fields else None, error.messages)
