from django.conf import settings

from core import navigation


def portal(request):
    user = getattr(request, "user", None)
    return {
        "agency_name": settings.AGENCY_NAME,
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_provider_name": settings.OIDC_PROVIDER_NAME,
        "nav_items": navigation.items_for(user) if user is not None else [],
    }
