"""Form helpers the register's forms and views share."""

from django.contrib.auth import get_user_model
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
