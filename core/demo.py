"""Demo users, one per role, with Estonian names. Used by ``manage.py seed_demo``; idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from core import roles
from core.models import User

DEMO_PASSWORD = "Kantselei-demo-2026"  # noqa: S105 - printed by make run, for demo data only


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    job_title: str
    roles: tuple[roles.Role, ...]
    is_staff: bool = False
    is_superuser: bool = False


DEMO_USERS = (
    DemoUser("mari", "Mari", "Tamm", "Klienditoe peaspetsialist", (roles.CLERK,)),
    DemoUser("jaan", "Jaan", "Kask", "MTR menetleja", (roles.MTR_PROCESSOR,)),
    DemoUser("liis", "Liis", "Saar", "Infohalduse nõunik", (roles.ADVISOR,)),
    DemoUser("andres", "Andres", "Mägi", "Varahaldur", (roles.ASSET_MANAGER,)),
    DemoUser("kadri", "Kadri", "Õunapuu", "Digiteenuste osakonna juhataja", (roles.HEAD,)),
    DemoUser(
        "admin",
        "Toomas",
        "Rebane",
        "Süsteemiadministraator",
        (roles.ADMINISTRATOR,),
        is_staff=True,
        is_superuser=True,
    ),
)


@transaction.atomic
def seed_users() -> list[tuple[User, bool]]:
    """Create the demo users that are missing; leave existing ones (and their passwords) be."""
    roles.sync_roles()
    result = []
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@kantselei.example.ee",
                "job_title": demo.job_title,
                "is_staff": demo.is_staff,
                "is_superuser": demo.is_superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.set(Group.objects.filter(name__in=[r.group for r in demo.roles]))
        result.append((user, created))
    return result
