"""Fixtures of the outgoing-mail tests: staff in their roles, a series, parties with addresses,
a registered information request, and letters made through correspondence.services."""

import pytest

from core import roles
from correspondence import services
from correspondence.models import Channel
from registry import services as registry_services
from registry.models import Channel as RegistryChannel
from registry.models import DocumentType
from tests.factories import PartyFactory, SeriesFactory
from tests.registry.conftest import last_working_day


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _signature_trust(settings):
    """Signatures are verified against the test PKI (tests/signing), whose containers
    ``tests.correspondence.containers.make_asice`` makes; SiVa and SiGa are off unless a test
    starts their stand-ins."""
    from tests.signing import test_trust_store

    settings.SIGNATURE_TRUST_STORE = test_trust_store()
    settings.SIVA_URL = ""
    settings.SIGA_URL = ""


@pytest.fixture
def advisor(make_user):
    return make_user(roles.ADVISOR, username="liis", first_name="Liis", last_name="Saar")


@pytest.fixture
def series(db):
    return SeriesFactory(code="1-2", title="Kirjavahetus asutuste ja isikutega")


@pytest.fixture
def organisation(db):
    return PartyFactory(
        name="OÜ Põhjarannik",
        code="",
        address="Mere pst 5, 10111 Tallinn",
        email="info@pohjarannik.example.ee",
    )


@pytest.fixture
def person(db):
    return PartyFactory(
        is_private_person=True,
        name="Jüri Õunapuu",
        code="",
        address="Tähe 12-4, 50103 Tartu",
        email="juri@example.ee",
    )


@pytest.fixture
def information_request(clerk, series, person):
    """An information request from a private person, registered on the last working day."""
    return registry_services.document_register(
        actor=clerk,
        series=series,
        doc_type=DocumentType.INFORMATION_REQUEST,
        channel=RegistryChannel.EMAIL,
        title="Teabenõue: ruumide üürilepingud",
        received_on=last_working_day(),
        sender=person,
        sender_reference="JÕ-2026/7",
        restriction_basis=None,
    )


@pytest.fixture
def make_letter(clerk, series, organisation):
    """Save a letter through the service; keyword arguments override the defaults. Run it in
    ``django_capture_on_commit_callbacks(execute=True)`` to have its PDF made."""

    def make(**kwargs):
        values = {
            "actor": clerk,
            "subject": "Teave koosoleku kohta",
            "body": "Lugupeetud {{ addressee }}\n\nKoosolek toimub 5. detsembril kell 10.",
            "signer": clerk,
            "addressees": [services.Addressee(organisation, Channel.EMAIL)],
            "series": series,
        }
        values.update(kwargs)
        return services.letter_create(**values)

    return make
