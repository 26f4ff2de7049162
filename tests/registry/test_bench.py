"""The benchmark command keeps working (its figures are printed, never asserted)."""

from io import StringIO

import pytest
from django.core.management import call_command

from registry.models import Document


@pytest.mark.django_db
def test_bench_registry_runs_and_rolls_back():
    out = StringIO()

    call_command("bench_registry", documents=30, repeat=1, stdout=out)

    assert "staff list" in out.getvalue()
    assert "rolled back" in out.getvalue()
    assert not Document.objects.exists()
