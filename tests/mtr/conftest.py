"""Fixtures of the MTR tests: two areas (a licence, a notice), a processor, and applications
filed through mtr.services.application_submit (so codes, deadlines and events are real)."""

import pytest

from core import roles
from core.validators import check_digit
from mtr import services
from mtr.models import ActivityArea, Application, Kind


def registry_code(n: int) -> str:
    """A valid Estonian registry code, different for each ``n`` (companies: 1…)."""
    digits = f"1{n % 1_000_000:06d}"
    return digits + str(check_digit(digits))


@pytest.fixture
def licence_area(db):
    return ActivityArea.objects.create(
        code="turvateenus",
        name_et="Turvateenus",
        name_en="Security services",
        name_ru="Охранные услуги",
        emtak_code="80101",
        kind=Kind.LICENCE,
        number_prefix="KTO",
        extra_fields=[
            {
                "key": "staff",
                "label_et": "Turvatöötajate arv",
                "label_en": "Number of security staff",
                "label_ru": "Число охранников",
                "type": "number",
                "required": True,
            }
        ],
        required_attachments=[
            {
                "key": "plan",
                "label_et": "Turvaplaan",
                "label_en": "Security plan",
                "label_ru": "План охраны",
            }
        ],
    )


@pytest.fixture
def notice_area(db):
    return ActivityArea.objects.create(
        code="majutus",
        name_et="Majutamine",
        name_en="Accommodation",
        name_ru="Размещение",
        emtak_code="55101",
        kind=Kind.NOTICE,
        number_prefix="HMR",
    )


@pytest.fixture
def processor(make_user):
    return make_user(roles.MTR_PROCESSOR, username="processor", first_name="Piret", last_name="Töö")


@pytest.fixture
def make_application(licence_area):
    """File an application through the service; keyword arguments override the defaults."""

    def make(**kwargs):
        values = {
            "area": licence_area,
            "type": Application.Type.NEW,
            "business_name": "Pärnu Valve OÜ",
            "registry_code": registry_code(1),
            "address": "Rüütli 25, 80010 Pärnu",
            "contact_person": "Kristjan Õunapuu",
            "email": "info@valve.example.ee",
            "addresses": ["Ranna pst 5, Pärnu"],
            "data": {"staff": 12},
        }
        values.update(kwargs)
        return services.application_submit(**values)

    return make
