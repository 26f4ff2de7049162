"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth.models import Group

from core import calendar, roles
from core.models import User

PASSWORD = "Test-password-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="et_EE")
    last_name = factory.Faker("last_name", locale="et_EE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@kantselei.example.ee")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``UserFactory(roles=[roles.CLERK])`` puts the user in those role groups."""
        if create and extracted:
            names = {r.group for r in extracted}
            made = Group.objects.filter(name__in=names, permissions__isnull=False).distinct()
            groups = list(made)
            if len(groups) < len(names):  # a flushed database (transactional tests): make them
                roles.sync_roles()
                groups = list(Group.objects.filter(name__in=names))
            self.groups.add(*groups)


# --- registry -----------------------------------------------------------------------------------
# Documents are made through registry.services.document_register (make_document in
# tests/registry/conftest.py), so numbers, deadlines and events are real.


class FunctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.Function"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Funktsioon {n + 1}")


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.Series"
        django_get_or_create = ("code",)

    function = factory.SubFactory(FunctionFactory)
    code = factory.Sequence(lambda n: f"{n + 1}-{n % 9 + 1}")
    title = factory.Sequence(lambda n: f"Kirjavahetus {n + 1}")
    retention_years = 10


class RestrictionBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.RestrictionBasis"
        django_get_or_create = ("code",)

    code = "avts-35-1-12"
    title = "AvTS § 35 lg 1 p 12"
    description = "Eraelu puutumatust oluliselt kahjustav teave"
    is_personal_data = True


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.Party"

    is_private_person = False
    name = factory.Faker("company", locale="et_EE")
    email = factory.Sequence(lambda n: f"info{n}@firma.example.ee")
    address = "Narva mnt 7, 10117 Tallinn"


class PrivatePersonFactory(PartyFactory):
    is_private_person = True
    name = factory.Faker("name", locale="et_EE")
    email = factory.Sequence(lambda n: f"isik{n}@example.ee")
    address = "Rüütli 12, 51007 Tartu"


def in_time(fields: dict):
    """The day a document with these registration ``fields`` was registered when it was
    registered in time: the day it arrived (the next working day when that was a day off), or
    for what the agency sent or made, that day."""
    received_on = fields["received_on"]
    if fields.get("direction", "incoming") != "incoming":
        return received_on
    return calendar.registration_day(received_on)
