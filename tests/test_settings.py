"""Start-up refuses unsafe production settings, and the embedded defaults need nothing."""

import os
import subprocess
import sys
from pathlib import Path

from django.db.utils import ConnectionHandler

ROOT = Path(__file__).resolve().parents[1]


def run_check(*options, **env_overrides) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; `check --deploy` objects.
    unset = {
        "SECRET_KEY",
        "DEBUG",
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "EMAIL_HOST",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_stops_with_a_clear_message():
    result = run_check(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set (or is the development default) while DEBUG is off" in (
        result.stderr
    )


def test_production_with_the_development_key_stops_too():
    result = run_check(DEBUG="0", SECRET_KEY="django-insecure-intercluster-development-only")
    assert result.returncode != 0
    assert "SECRET_KEY is not set (or is the development default)" in result.stderr


def test_production_with_a_real_secret_key_starts():
    result = run_check(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_development_mode_starts_with_nothing_set():
    result = run_check(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_reading_the_settings_creates_no_directory(tmp_path):
    """A fresh clone's var/ appears when something is written there, not at import."""
    var = tmp_path / "var"

    result = run_check(DEBUG="1", VAR_DIR=str(var))

    assert result.returncode == 0, result.stderr
    assert not var.exists()


def test_embedded_database_makes_its_directory_when_first_opened(tmp_path, django_db_blocker):
    """The embedded SQLite file's directory is made on the first connection (`migrate`)."""
    path = tmp_path / "var" / "intercluster.sqlite3"
    database = ConnectionHandler({"default": {"ENGINE": "config.sqlite", "NAME": str(path)}})

    with django_db_blocker.unblock():
        database["default"].ensure_connection()
        database.close_all()

    assert path.is_file()


def test_deploy_check_refuses_production_without_an_email_server():
    """DEBUG off, no EMAIL_HOST: `check --deploy` fails instead of keeping emails (and their
    private links) on the console and the disk."""
    result = run_check("--deploy", DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "(registrations.E001) EMAIL_HOST is not set while DEBUG is off" in result.stderr


def test_deploy_check_accepts_production_with_an_email_server():
    result = run_check("--deploy", DEBUG="0", SECRET_KEY="x" * 50, EMAIL_HOST="smtp.example.org")
    assert "registrations.E001" not in result.stderr + result.stdout
    assert result.returncode == 0, result.stderr


def test_development_needs_no_email_server_even_for_the_deploy_check():
    result = run_check("--deploy", DEBUG="1")
    assert "registrations.E001" not in result.stderr + result.stdout
