"""OpenID Connect sign-in (the agency's SSO or TARA) that maps to existing staff only."""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class ExistingUserOIDCBackend(OIDCAuthenticationBackend):
    """Signs in an active user whose e-mail matches the verified claim; never creates one."""

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):  # OIDC_CREATE_USER is False; this is a second lock
        return None
