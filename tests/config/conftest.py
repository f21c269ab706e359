from django.conf import settings

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# Tests that need a PostgreSQL server exist only where the suite runs on one: a skip
# would fail CI's SQLite run (MARQUEE_NO_SKIPS).
collect_ignore_glob = [] if ON_POSTGRES else ["test_postgres_*.py"]
