"""With DEBUG off, a static file the collectstatic manifest lacks made every page a bare
500 (the upgrade that added favicon.svg, without collectstatic run again): the system
checks that `check` and `migrate` run say so, and name collectstatic."""

from io import StringIO

import pytest
from django.core import checks
from django.core.management import call_command

from tests.config.test_settings import REAL_KEY, manage


@pytest.fixture
def production_static(settings, tmp_path):
    """Static files as production has them: looked up in a manifest under STATIC_ROOT."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    return settings.STATIC_ROOT


def marquee_warnings() -> list[checks.CheckMessage]:
    return checks.run_checks(tags=["marquee"])


def collected() -> str:
    """Run collectstatic; what it printed on stderr."""
    err = StringIO()
    call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_no_manifest_is_a_warning_that_names_collectstatic(production_static):
    (warning,) = marquee_warnings()

    assert warning.id == "marquee.W001"
    assert str(production_static / "staticfiles.json") in warning.msg
    assert warning.hint == "Run manage.py collectstatic --no-input, then restart the server."


def test_a_manifest_written_before_a_file_existed_names_the_file(production_static):
    assert collected() == "", "collectstatic does not warn that it has not run"
    assert marquee_warnings() == []
    manifest = production_static / "staticfiles.json"
    # The manifest an older Marquee wrote: favicon.svg came later.
    manifest.write_text(manifest.read_text().replace('"favicon.svg"', '"gone.svg"'))

    (warning,) = marquee_warnings()

    assert warning.id == "marquee.W002"
    assert "lacks favicon.svg:" in warning.msg
    assert "collectstatic" in warning.hint


def test_debug_reads_no_manifest_and_is_not_warned(production_static, settings):
    settings.DEBUG = True

    assert marquee_warnings() == []


def test_migrate_warns_before_the_server_is_restarted(tmp_path):
    result = manage(
        "migrate",
        "--no-input",
        DJANGO_SECRET_KEY=REAL_KEY,
        DJANGO_ALLOWED_HOSTS="marquee.example.com",
        DATABASE_URL="",  # a SQLite file of its own, in the PostgreSQL session too
        MARQUEE_DATA_DIR=str(tmp_path / "data"),
        MARQUEE_STATIC_DIR=str(tmp_path / "static"),
    )

    assert result.returncode == 0, result.stderr
    assert "(marquee.W001) There is no readable static files manifest" in result.stderr
    assert "Run manage.py collectstatic --no-input" in result.stderr
