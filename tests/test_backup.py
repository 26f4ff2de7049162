"""The backup drill of docs/operations.md, run for real: ``pg_dump -Fc`` of a database with rows
in it, ``pg_restore`` into a fresh database, and the same rows there."""

import os
import re
import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from registry import services
from registry.models import Channel, DocumentType
from tests.factories import PartyFactory, SeriesFactory, UserFactory

pytestmark = pytest.mark.faults

MAIN_TABLES = ("core_user", "core_event", "registry_party", "registry_document")


def client_for(program: str, server_major: int) -> str | None:
    """The ``program`` (pg_dump, pg_restore) of the server's major version, or a newer one (a
    dump needs a pg_dump at least as new as the server)."""
    found = {}
    candidates = [shutil.which(program), *Path("/usr/lib/postgresql").glob(f"*/bin/{program}")]
    for candidate in filter(None, candidates):
        result = subprocess.run(  # noqa: S603 - a program found above
            [str(candidate), "--version"], capture_output=True, text=True, check=False
        )
        match = re.search(r"(\d+)(?:\.\d+)?", result.stdout)
        if result.returncode == 0 and match and int(match.group(1)) >= server_major:
            found.setdefault(int(match.group(1)), str(candidate))
    return found[min(found)] if found else None


def libpq_arguments(settings: dict) -> tuple[list[str], dict[str, str]]:
    arguments = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    arguments += ["-U", settings["USER"] or "postgres"]
    environment = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    return arguments, environment


def row_counts(dsn: dict, tables: list[str]) -> dict[str, int]:
    with psycopg.connect(**dsn) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def public_tables(dsn: dict) -> list[str]:
    with psycopg.connect(**dsn) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    return [name for (name,) in rows]


@pytest.fixture
def filled_database(transactional_db):
    """Rows committed through the services, as pg_dump sees them from another connection."""
    clerk = UserFactory(username="clerk")
    series = SeriesFactory(code="1-2")
    for number in range(5):
        services.document_register(
            actor=clerk,
            series=series,
            doc_type=DocumentType.LETTER,
            channel=Channel.POST,
            title=f"Kiri nr {number}: Õunapuu ja Šmidt",
            received_on=date(2026, 11, 2),
            sender=PartyFactory(),
            restriction_basis=None,
        )


def test_a_dump_restores_into_a_fresh_database_with_every_row(filled_database, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the drill is for PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    pg_dump, pg_restore = (
        client_for("pg_dump", server_major),
        client_for("pg_restore", server_major),
    )
    if pg_dump is None or pg_restore is None:
        pytest.skip(
            f"no pg_dump/pg_restore of PostgreSQL {server_major} or newer on this machine "
            f"(Debian: apt-get install postgresql-client-{server_major})"
        )
    settings = connection.settings_dict
    source = settings["NAME"]
    copy = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    arguments, environment = libpq_arguments(settings)
    dsn = {
        "host": arguments[1],
        "port": arguments[3],
        "user": arguments[5],
        "password": settings.get("PASSWORD") or None,
    }
    dump = tmp_path / "kantselei.dump"

    subprocess.run(  # noqa: S603 - the machine's client with fixed arguments
        [pg_dump, "-Fc", "--no-owner", *arguments, "-f", str(dump), source],
        env=environment,
        check=True,
    )
    with psycopg.connect(**dsn, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{copy}"')
    try:
        subprocess.run(  # noqa: S603 - the machine's client with fixed arguments
            [pg_restore, "--no-owner", "--exit-on-error", *arguments, "-d", copy, str(dump)],
            env=environment,
            check=True,
        )
        tables = public_tables({**dsn, "dbname": source})
        before = row_counts({**dsn, "dbname": source}, tables)
        after = row_counts({**dsn, "dbname": copy}, tables)
        with psycopg.connect(**dsn, dbname=copy) as restored:
            titles = [t for (t,) in restored.execute("SELECT title FROM registry_document")]
    finally:
        with psycopg.connect(**dsn, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')

    assert after == before
    assert all(before[table] > 0 for table in MAIN_TABLES), before
    assert before["registry_document"] == 5
    assert "Kiri nr 4: Õunapuu ja Šmidt" in titles
