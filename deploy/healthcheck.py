"""Container health check of the web service: is gunicorn answering?  (docker-compose.yml)

Usage: python deploy/healthcheck.py URL [--ready]

Exits 0 when URL answers /healthz's JSON: with 200, or with 503 (the web process is alive and
says the database, the broker or the jobs need attention: the pages are still served, so the
container is not the thing to replace; the monitoring reads /healthz itself). ``--ready`` wants
200 only. The request carries the first of DJANGO_ALLOWED_HOSTS as its Host, since Django
refuses other hosts. Standard library only: it runs in the image without Django set up.
"""

import json
import os
import sys
import urllib.error
import urllib.request


def host() -> str:
    first = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    return first.lstrip("*.") or "localhost"


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else "http://127.0.0.1:8000/healthz"
    accepted = {200} if "--ready" in argv else {200, 503}
    request = urllib.request.Request(url, headers={"Host": host()})  # noqa: S310 - a fixed URL
    try:
        with urllib.request.urlopen(request, timeout=8) as response:  # noqa: S310
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except OSError as error:
        print(f"unhealthy: {error}")
        return 1
    try:
        checks = json.loads(body)
    except ValueError:
        checks = None
    if status in accepted and isinstance(checks, dict):
        return 0
    print(f"unhealthy: HTTP {status} {body[:200]!r}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
