"""The production settings pass Django's deploy checks (also run by .ci/run)."""

import os
import subprocess
import sys
from pathlib import Path

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
