"""Demo users, one per role, with Estonian names. Used by ``manage.py seed_demo``; idempotent."""

from __future__ import annotations

from collections.abc import Callable
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


# --- The apps' demo data ---------------------------------------------------------------------
# Each app contributes its demo data (AppConfig.ready: ``register_seeder``), so core knows no
# app: seed_demo runs them in their order, each returning the line it reports.
_SEEDERS: list[tuple[int, str, Callable[[], str]]] = []


def register_seeder(order: int, name: str, seed: Callable[[], str]) -> None:
    """``seed()`` fills the app's demo data (idempotent) and returns one line saying what it
    made; lower ``order`` first (the register before what refers to it)."""
    if all(existing != name for _order, existing, _seed in _SEEDERS):
        _SEEDERS.append((order, name, seed))


def seeders() -> list[Callable[[], str]]:
    return [seed for _order, _name, seed in sorted(_SEEDERS, key=lambda item: item[:2])]
