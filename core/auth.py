"""Authentication backends: permissions in one query, and OpenID Connect sign-in (the agency's
SSO or TARA) that maps to existing staff only."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class OneQueryPermissionsMixin:
    """``ModelBackend``'s permissions, read with one query instead of two.

    Django asks for the user's own permissions and for those of the user's groups (the roles,
    core.roles) separately; every signed-in page needs both, so one query reads their union.
    The result is kept on the user object for the request, as Django does, and never longer: a
    role taken away holds from the next request on.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                )
            }
        return user_obj._perm_cache


class PermissionBackend(OneQueryPermissionsMixin, ModelBackend):
    """Django's ``ModelBackend`` (sign-in by username and password), permissions in one query."""


class ExistingUserOIDCBackend(OneQueryPermissionsMixin, OIDCAuthenticationBackend):
    """Signs in an active user whose e-mail matches the verified claim; never creates one."""

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):  # OIDC_CREATE_USER is False; this is a second lock
        return None
