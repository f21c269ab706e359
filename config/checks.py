"""Marquee's own system checks, run by `manage.py check` (and `check --deploy`), `migrate`
and `runserver`; registered by config/apps.py.

With DEBUG off, `{% static %}` looks every file up in the manifest that `collectstatic`
wrote, and a file the manifest lacks is a ValueError: every page, the site's 500 page
included, answered Django's bare "Internal Server Error" after an upgrade that added a
static file (favicon.svg) until `collectstatic` was run again. Checked here so that
`migrate`, which an upgrade runs anyway, says so before the server is restarted.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks

RUN_COLLECTSTATIC = "Run manage.py collectstatic --no-input, then restart the server."


def static_files_in_the_manifest(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn of static files the manifest lacks, when the pages would look them up in it."""
    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []  # DEBUG serves every file by its own name; no manifest is read
    manifest = staticfiles_storage.manifest_storage.path(staticfiles_storage.manifest_name)
    try:
        known, _ = staticfiles_storage.load_manifest()  # {} when there is none
    except ValueError:  # not JSON, or a version this Django does not read
        known = {}
    if not known:
        return [
            checks.Warning(
                f"There is no readable static files manifest at {manifest}: with DEBUG off, "
                "every page answers 500.",
                hint=RUN_COLLECTSTATIC,
                id="marquee.W001",
            )
        ]
    ignored = apps.get_app_config("staticfiles").ignore_patterns
    found = {path for finder in get_finders() for path, _ in finder.list(ignored)}
    missing = sorted(path for path in found if path not in known)
    if not missing:
        return []
    names = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return [
        checks.Warning(
            f"The static files manifest at {manifest}, written by an earlier collectstatic, "
            f"lacks {names}: with DEBUG off, every page that uses one answers 500.",
            hint=RUN_COLLECTSTATIC,
            id="marquee.W002",
        )
    ]
