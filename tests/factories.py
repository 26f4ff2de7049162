"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth.models import Group

from core import roles
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
            roles.sync_roles()
            self.groups.add(*Group.objects.filter(name__in=[r.group for r in extracted]))
