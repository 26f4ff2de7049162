"""Demo data of the MTR: real-looking areas of activity (idempotent, matched by code)."""

from __future__ import annotations

from mtr.demo.applications import (  # noqa: F401 - the package's names
    _PDF_CACHE,
    APPLICATIONS_PER_STATUS,
    _date_decisions,
    _date_deliveries,
    _deliver_decisions,
    _letter_pdf,
    _progress,
    _spread_in_time,
    seed_applications,
)
from mtr.demo.areas import (  # noqa: F401 - the package's names
    AREAS,
    seed_areas,
)
from mtr.demo.entries import (  # noqa: F401 - the package's names
    ENTRY_COUNT,
    _address,
    _businesses,
    _data_for,
    _registry_codes,
    seed_entries,
)
from mtr.demo.words import (  # noqa: F401 - the package's names
    ANSWERS,
    AREA_WORDS,
    CHECK_NOTES,
    DEFICIENCY_TEXTS,
    NAME_SUFFIXES,
    PEOPLE,
    PLACES,
    STREETS,
)


def seed() -> str:
    """The MTR's demo data (core.demo.register_seeder)."""
    areas = seed_areas()
    entries = seed_entries()
    applications = seed_applications()
    return (
        f"MTR: {areas} areas of activity, {entries} entries and "
        f"{applications} applications created."
    )
