"""The admin's Backups page: superusers see the backups and can start one; other staff
are refused (403), and everyone else is sent to log in."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

URL = reverse("admin:backups_backup_list")


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def staff_with(*, every_permission: bool):
    staff = UserFactory(is_staff=True)
    if every_permission:
        staff.user_permissions.set(Permission.objects.all())
    return staff


@pytest.mark.django_db
def test_superusers_see_every_backup_with_size_date_and_engine(
    superuser_client, backup_storage_dir
):
    backup_storage_dir.mkdir()
    (backup_storage_dir / "nightly.psql.bin.gz").write_bytes(b"x" * 3000)
    (backup_storage_dir / "before-upgrade.sqlite3").write_bytes(b"x")

    response = superuser_client.get(URL)

    assert response.status_code == HTTPStatus.OK
    names = [backup.name for backup in response.context["backups"]]
    assert sorted(names) == ["before-upgrade.sqlite3", "nightly.psql.bin.gz"]
    page = response.content.decode()
    assert "nightly.psql.bin.gz" in page
    assert "2.9\xa0KB" in page
    assert "PostgreSQL" in page
    assert "SQLite" in page


@pytest.mark.django_db
def test_the_admin_index_links_to_the_backups_page(superuser_client):
    response = superuser_client.get(reverse("admin:index"))
    assert f'href="{URL}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("every_permission", [False, True], ids=["no-permission", "every-one"])
def test_the_admin_index_does_not_link_other_staff_to_it(client, every_permission):
    client.force_login(staff_with(every_permission=every_permission))

    response = client.get(reverse("admin:index"))

    assert response.status_code == HTTPStatus.OK
    assert URL not in response.content.decode()
    assert "Backups" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("every_permission", [False, True], ids=["no-permission", "every-one"])
def test_staff_who_are_not_superusers_are_refused(
    client, method, every_permission, backup_storage_dir
):
    """Model permissions do not reach a whole-database copy: even every one of them."""
    client.force_login(staff_with(every_permission=every_permission))

    response = getattr(client, method)(URL)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not backup_storage_dir.exists()


# transaction=True: SQLite's backup API cannot read a connection in an open transaction.
@pytest.mark.django_db(transaction=True)
def test_superusers_can_start_a_backup(superuser_client, backup_storage_dir):
    response = superuser_client.post(URL, follow=True)

    assert response.status_code == HTTPStatus.OK
    written = [path.name for path in backup_storage_dir.iterdir()]
    backups = [name for name in written if not name.endswith(".metadata")]
    assert len(backups) == 1
    assert backups[0].endswith(".gz")
    assert f"Backed up the database to {backups[0]}" in response.content.decode()


@pytest.mark.django_db
def test_a_failed_backup_is_a_message_not_a_500(superuser_client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "dbbackup": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "backups")},
        },
    }

    response = superuser_client.post(URL, follow=True)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "The backup failed" in page
    assert "The backup folder cannot be read" in page
    assert f"MARQUEE_BACKUP_DIR must name a folder Marquee can create: {blocker}" in page


@pytest.mark.django_db
def test_starting_a_backup_needs_the_csrf_token(backup_storage_dir):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(URL)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not backup_storage_dir.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_users_who_are_not_staff_are_sent_to_log_in(
    user_client, client, method, backup_storage_dir
):
    for visitor in (user_client, Client()):
        response = getattr(visitor, method)(URL)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("admin:login"))
    assert not backup_storage_dir.exists()
