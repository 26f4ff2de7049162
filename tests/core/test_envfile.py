"""A .env copied from .env.example gives clean values (core.envfile)."""

from pathlib import Path

from core import envfile

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_comments_after_values_are_not_part_of_them():
    values = envfile.parse(
        "A=30          # days\n"
        "B=                    # (!) empty: stays unset\n"
        'C="a # b"   # quoted keeps its hash\n'
        "export D=x\n"
        "# E=commented out\n"
        "F=Suur-Ameerika 1, 10122 Tallinn   # an address\n"
        "G=http://host/#anchor\n"
    )
    assert values == {
        "A": "30",
        "C": "a # b",
        "D": "x",
        "F": "Suur-Ameerika 1, 10122 Tallinn",
        "G": "http://host/#anchor",
    }


def test_every_value_of_the_example_is_clean():
    values = envfile.parse(EXAMPLE.read_text(encoding="utf-8"))
    assert values["MTR_LICENCE_DECISION_DAYS"] == "30"
    assert values["AGENCY_ADDRESS"] == "Suur-Ameerika 1, 10122 Tallinn"
    assert "DJANGO_SECRET_KEY" not in values  # empty in the example: the default applies
    for key, value in values.items():
        assert value == value.strip(), key
        assert " #" not in value, key
