"""Authentication backends: the user and their permissions in one query, and OpenID Connect
sign-in (the agency's SSO or TARA) that maps to existing staff only."""

import functools

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, F, OuterRef, Value
from django.db.models.functions import Concat
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


def _name(prefix: str) -> Concat:
    """``"app_label.codename"`` of the permission at ``prefix`` (a lookup path)."""
    return Concat(
        F(f"{prefix}content_type__app_label"),
        Value("."),
        F(f"{prefix}codename"),
        output_field=CharField(),
    )


def _held_names(user) -> tuple:
    """Two one-column querysets of the names of the permissions ``user`` (an id or
    ``OuterRef("pk")``) holds: directly, and through its roles (core.roles)."""
    User = get_user_model()
    own = User.user_permissions.through.objects.filter(user_id=user)
    via_roles = Group.permissions.through.objects.filter(group__user=user)
    return (
        own.order_by().values_list(_name("permission__"), flat=True),
        via_roles.order_by().values_list(_name("permission__"), flat=True),
    )


_NO_ONE = -7_340_033  # a user id no one has, to find the id's place among the parameters


@functools.cache
def _user_query() -> tuple[str, tuple, int]:
    """The SQL of a user with the names of its permissions, its parameters and the index of the
    user id among them. Compiled once per process: building it (a subquery, a concatenation)
    cost more than running it, on every request."""
    User = get_user_model()
    own, via_roles = _held_names(OuterRef("pk"))
    users = User._default_manager.annotate(
        own_permissions=ArraySubquery(own), role_permissions=ArraySubquery(via_roles)
    ).filter(pk=_NO_ONE)
    sql, params = users.order_by().query.sql_with_params()
    return sql, tuple(params), params.index(_NO_ONE)


class OneQueryPermissionsMixin:
    """``ModelBackend``'s permissions, read with the user in one query.

    Django reads the signed-in user, then asks for the user's own permissions and for those of
    the user's groups (the roles, core.roles) separately; every signed-in page needs all three.
    Here the user's row comes with the names of its permissions (a subquery of the same query),
    kept on the user object for the request as Django keeps them, and never longer: a role
    taken away holds from the next request on. A user read another way (an assignee a service
    checks) has its permissions read in one query when first asked; a superuser's (every
    permission) too.
    """

    def _user_with_permissions(self, user_id):
        User = get_user_model()
        sql, params, at = _user_query()
        params = [*params]
        params[at] = user_id
        user = next(iter(User._default_manager.raw(sql, params)), None)
        if user is not None and not user.is_superuser:
            user._perm_cache = {*user.own_permissions, *user.role_permissions}
        return user

    async def aget_user(self, user_id):  # as get_user (Django's reads the user alone)
        return await sync_to_async(self.get_user)(user_id)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                user_obj._perm_cache = set(Permission.objects.values_list(_name(""), flat=True))
            else:
                own, via_roles = _held_names(user_obj.pk)
                user_obj._perm_cache = set(own.union(via_roles, all=True))
        return user_obj._perm_cache


class PermissionBackend(OneQueryPermissionsMixin, ModelBackend):
    """Django's ``ModelBackend`` (sign-in by username and password); the user and its
    permissions in one query."""

    def get_user(self, user_id):
        user = self._user_with_permissions(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ExistingUserOIDCBackend(OneQueryPermissionsMixin, OIDCAuthenticationBackend):
    """Signs in an active user whose e-mail matches the verified claim; never creates one."""

    def get_user(self, user_id):  # as OIDCAuthenticationBackend's, with the permissions
        return self._user_with_permissions(user_id)

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):  # OIDC_CREATE_USER is False; this is a second lock
        return None
