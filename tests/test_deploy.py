"""The production settings pass Django's deploy checks (also run by .ci/run)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-secret-" + "x7Kq2-" * 10,
    "DJANGO_ALLOWED_HOSTS": "kantselei.example.ee",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_SECURE_COOKIES": "1",
    "DJANGO_STATIC_MANIFEST": "1",
    "CACHE_URL": "rediscache://127.0.0.1:6379/1",
}


# Set by the browser tests while Chromium runs in this process (see tests/browser/conftest.py);
# a deployment never has it, and check --deploy rightly fails on it.
NOT_INHERITED = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args, **env):
    inherited = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


# --- docker-compose.yml (Docker is not on these machines: the file is checked, not run) --------

COMPOSE = BASE_DIR / "docker-compose.yml"
DEPLOY = BASE_DIR / "deploy"
ONE_SHOT = {"migrate"}  # jobs the others wait for; they exit, so no health check or restart
APP_SERVICES = ("web", "worker", "beat")


def compose() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(COMPOSE.read_text())  # resolves anchors and <<


def env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def strings(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif node is not None:
        yield str(node)


def test_compose_file_follows_the_compose_specification():
    """The schema of the Compose Specification (Apache-2.0), as check-jsonschema ships it."""
    import json
    from importlib import resources

    import jsonschema

    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads(vendor.joinpath("compose-spec.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)

    errors = sorted(validator.iter_errors(compose()), key=lambda e: list(e.absolute_path))

    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_every_long_running_service_has_a_health_check_and_a_restart_policy():
    services = compose()["services"]

    for name, service in services.items():
        if name in ONE_SHOT:
            assert service["restart"] == "no", name
            continue
        assert service.get("restart") in ("always", "unless-stopped"), name
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
        assert not service["healthcheck"].get("disable"), name
    assert {"proxy", "postgres", "redis", *APP_SERVICES} <= set(services)


def test_web_worker_and_beat_start_after_migrate_and_healthy_services():
    services = compose()["services"]

    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in APP_SERVICES:
        conditions = {k: v["condition"] for k, v in services[name]["depends_on"].items()}
        assert conditions == {
            "migrate": "service_completed_successfully",
            "postgres": "service_healthy",
            "redis": "service_healthy",
        }, name
    assert services["proxy"]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_no_secret_is_written_in_the_compose_file():
    document = compose()
    literal_credentials = re.compile(r"://[^/\s:@]+:[^/\s@$]+@")  # user:password@ in a URL

    assert not [s for s in strings(document) if literal_credentials.search(s)]
    for name, service in document["services"].items():
        environment = service.get("environment") or {}
        secret_keys = [k for k in environment if re.search("PASSWORD|SECRET|KEY", k)]
        assert not secret_keys, f"{name} sets {secret_keys} in the file"
    assert "deploy/compose.env" in (BASE_DIR / ".gitignore").read_text()
    assert "deploy/compose.env" in (BASE_DIR / ".dockerignore").read_text()


def test_every_file_the_compose_file_names_is_committed():
    document = compose()
    for mode in ("tls", "plain"):
        assert (DEPLOY / f"mode-{mode}.env").is_file()
        assert (DEPLOY / "caddy" / f"{mode}.Caddyfile").is_file()
    for service in document["services"].values():
        for path in service.get("env_file", []):
            path = path.replace("${KANTSELEI_MODE:-tls}", "tls")
            made = path == "deploy/compose.env"  # made by deploy/compose-env.sh
            assert (BASE_DIR / (path + ".example" if made else path)).is_file(), path
    assert (DEPLOY / "caddy" / "common.caddy").is_file()
    assert "request_body" in (DEPLOY / "caddy" / "common.caddy").read_text()


def make_compose_env(tmp_path) -> dict[str, str]:
    """deploy/compose.env as deploy/compose-env.sh writes it (in a copy of deploy/)."""
    shutil.copytree(DEPLOY, tmp_path / "deploy", ignore=shutil.ignore_patterns("compose.env"))
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["sh", str(tmp_path / "deploy" / "compose-env.sh")],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    assert "written" in result.stdout
    return env_file(tmp_path / "deploy" / "compose.env")


def test_compose_env_sh_writes_random_secrets_that_agree(tmp_path):
    values = make_compose_env(tmp_path)

    assert "change-me" not in "".join(values.values())
    assert len(values["DJANGO_SECRET_KEY"]) >= 50
    password = values["POSTGRES_PASSWORD"]
    assert len(password) >= 24
    assert values["DATABASE_URL"] == f"postgres://kantselei:{password}@postgres:5432/kantselei"
    assert make_compose_env(tmp_path / "again")["POSTGRES_PASSWORD"] != password


def app_environment(tmp_path, mode: str) -> dict[str, str]:
    """What the web container's environment is in ``mode``: env files, then ``environment``."""
    web = compose()["services"]["web"]
    values = {}
    for path in web["env_file"]:
        path = path.replace("${KANTSELEI_MODE:-tls}", mode)
        values.update(make_compose_env(tmp_path) if path == "deploy/compose.env" else {})
        if path != "deploy/compose.env":
            values.update(env_file(BASE_DIR / path))
    values.update({k: str(v) for k, v in web["environment"].items()})
    values["DJANGO_STATIC_MANIFEST"] = "0"  # the image has collected static files; this tree not
    return values


def settings_of(environment: dict[str, str], *names: str) -> list[str]:
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(repr({expression}))" for expression in names
    )
    result = run_manage("shell", "--no-imports", "-c", code, **environment)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.split("\n")[: len(names)]


def test_the_compose_stack_in_tls_mode_passes_the_deploy_checks(tmp_path):
    environment = app_environment(tmp_path, "tls")

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **environment)

    assert result.returncode == 0, result.stdout + result.stderr
    assert settings_of(
        environment,
        "s.CACHES['default']['BACKEND']",
        "s.SECURE_SSL_REDIRECT",
        "s.SESSION_COOKIE_SECURE",
        "s.SECURE_PROXY_SSL_HEADER",
    ) == [
        "'core.cache.FailoverRedisCache'",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO', 'https')",
    ]


def test_the_plain_http_mode_serves_http_localhost_8000(tmp_path):
    environment = app_environment(tmp_path, "plain")

    assert settings_of(
        environment,
        "s.SECURE_SSL_REDIRECT",
        "s.SESSION_COOKIE_SECURE",
        "s.CSRF_COOKIE_SECURE",
        "s.SECURE_HSTS_SECONDS",
        "s.SITE_URL",
    ) == ["False", "False", "False", "0", "'http://localhost:8000'"]
    assert ":8000 {" in (DEPLOY / "caddy" / "plain.Caddyfile").read_text()
    assert "127.0.0.1:8000:8000" in compose()["services"]["proxy"]["ports"]


@pytest.mark.django_db(transaction=True)
def test_the_web_health_check_passes_while_the_portal_answers(live_server):
    command = [sys.executable, str(DEPLOY / "healthcheck.py"), f"{live_server.url}/healthz"]
    alive = subprocess.run(  # noqa: S603 - fixed arguments
        command, env={**os.environ, "DJANGO_ALLOWED_HOSTS": "localhost"}, check=False
    )
    gone = subprocess.run(  # noqa: S603 - fixed arguments
        [*command[:2], "http://127.0.0.1:9/healthz"], capture_output=True, check=False
    )

    assert alive.returncode == 0
    assert gone.returncode == 1


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is absent")
def test_the_systemd_units_are_valid():
    units = sorted(str(p) for p in (DEPLOY / "systemd").iterdir())
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["systemd-analyze", "verify", "--man=no", *units],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    # The checkout and its virtualenv are under /srv/kantselei on the machine, not here.
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "is not executable" not in line
    ]
    assert not problems, problems
    for name in ("worker", "beat", "web"):
        text = (DEPLOY / "systemd" / f"kantselei-{name}.service").read_text()
        assert "Restart=always" in text
        assert "RestartSec=" in text
