"""The admin's Backups page: staff see the backups and can start one; nobody else can."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

URL = reverse("admin:backups_backup_list")


@pytest.mark.django_db
def test_staff_see_every_backup_with_size_date_and_engine(staff_client, backup_storage_dir):
    backup_storage_dir.mkdir()
    (backup_storage_dir / "nightly.psql.bin.gz").write_bytes(b"x" * 3000)
    (backup_storage_dir / "before-upgrade.sqlite3").write_bytes(b"x")

    response = staff_client.get(URL)

    assert response.status_code == HTTPStatus.OK
    names = [backup.name for backup in response.context["backups"]]
    assert sorted(names) == ["before-upgrade.sqlite3", "nightly.psql.bin.gz"]
    page = response.content.decode()
    assert "nightly.psql.bin.gz" in page
    assert "2.9\xa0KB" in page
    assert "PostgreSQL" in page
    assert "SQLite" in page


@pytest.mark.django_db
def test_the_admin_index_links_to_the_backups_page(staff_client):
    response = staff_client.get(reverse("admin:index"))
    assert f'href="{URL}"' in response.content.decode()


# transaction=True: SQLite's backup API cannot read a connection in an open transaction.
@pytest.mark.django_db(transaction=True)
def test_staff_can_start_a_backup(client, backup_storage_dir):
    client.force_login(UserFactory(staff=True))

    response = client.post(URL, follow=True)

    assert response.status_code == HTTPStatus.OK
    written = [path.name for path in backup_storage_dir.iterdir()]
    backups = [name for name in written if not name.endswith(".metadata")]
    assert len(backups) == 1
    assert backups[0].endswith(".gz")
    assert f"Backed up the database to {backups[0]}" in response.content.decode()


@pytest.mark.django_db
def test_a_failed_backup_is_a_message_not_a_500(staff_client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "dbbackup": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "backups")},
        },
    }

    response = staff_client.post(URL, follow=True)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "The backup failed" in page
    assert "The backup folder cannot be read" in page


@pytest.mark.django_db
def test_starting_a_backup_needs_the_csrf_token(backup_storage_dir):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(staff=True))

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
