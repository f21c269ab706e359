"""The admin's account pages give no staff member more than they have: only a superuser
changes or deletes a staff or superuser account, or grants staff status, permissions or
groups; and the site always keeps an active superuser to run it.

Django's own UserAdmin lets anyone with "change user" tick "Superuser status" on their
own account, and anyone with "delete user" delete every superuser."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from tests.config.test_usernames import change_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def account_manager():
    """Staff who may add, change and delete accounts, and nothing more."""
    manager = UserFactory(username="manager", is_staff=True)
    manager.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="auth",
            codename__in=["view_user", "add_user", "change_user", "delete_user"],
        )
    )
    return manager


@pytest.fixture
def manager():
    return account_manager()


@pytest.fixture
def manager_client(manager):
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def boss():
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


# The password page's "Password-based authentication: Disabled", and its button.
DISABLE_PASSWORD = {
    "usable_password": "false",
    "password1": "",
    "password2": "",
    "unset-password": "Disable password-based authentication",
}


def delete_url(user):
    return reverse("admin:auth_user_delete", args=[user.pk])


class TestStaffWhoAreNotSuperusers:
    def test_cannot_make_themselves_superuser_or_give_themselves_permissions(
        self, manager_client, manager
    ):
        group = Group.objects.create(name="everything")
        group.permissions.add(*Permission.objects.all())

        manager_client.post(
            change_url(manager),
            change_form(manager)
            | {
                "is_staff": "on",
                "is_superuser": "on",
                "groups": [group.pk],
                "user_permissions": [p.pk for p in Permission.objects.all()],
            },
        )

        manager.refresh_from_db()
        assert not manager.is_superuser
        assert not manager.groups.exists()
        assert manager.user_permissions.count() == 4
        html = manager_client.get(change_url(manager)).content.decode()
        assert 'name="is_superuser"' not in html
        assert 'name="user_permissions"' not in html

    def test_cannot_make_a_member_staff(self, manager_client):
        member = UserFactory()

        response = manager_client.post(change_url(member), change_form(member) | {"is_staff": "on"})

        assert response.status_code == HTTPStatus.FOUND  # the rest of the form saved
        member.refresh_from_db()
        assert not member.is_staff

    def test_still_manage_members(self, manager_client):
        member = UserFactory()

        changed = manager_client.post(
            change_url(member), change_form(member) | {"email": "new@example.com"}
        )
        deleted = manager_client.post(delete_url(member), {"post": "yes"})

        assert changed.status_code == deleted.status_code == HTTPStatus.FOUND
        assert not User.objects.filter(pk=member.pk).exists()

    @pytest.mark.parametrize("kind", ["superuser", "staff"])
    def test_cannot_change_delete_or_set_the_password_of_staff_or_superusers(
        self, manager_client, boss, kind
    ):
        target = boss if kind == "superuser" else UserFactory(is_staff=True)
        password_url = reverse("admin:auth_user_password_change", args=[target.pk])

        page = manager_client.get(change_url(target))
        changed = manager_client.post(
            change_url(target), change_form(target) | {"email": "taken@example.com"}
        )
        deleted = manager_client.post(delete_url(target), {"post": "yes"})
        password = manager_client.post(
            password_url, {"password1": "Sneaky-pass-123", "password2": "Sneaky-pass-123"}
        )

        assert page.status_code == HTTPStatus.OK  # may look, read only
        assert 'name="email"' not in page.content.decode()
        assert changed.status_code == deleted.status_code == HTTPStatus.FORBIDDEN
        assert password.status_code == HTTPStatus.FORBIDDEN
        target.refresh_from_db()
        assert target.email != "taken@example.com"
        assert not target.check_password("Sneaky-pass-123")

    def test_cannot_delete_a_superuser_with_the_list_s_bulk_action(self, manager_client, boss):
        member = UserFactory()

        response = manager_client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "delete_selected", "_selected_action": [boss.pk, member.pk], "post": "yes"},
        )

        assert response.status_code in {HTTPStatus.OK, HTTPStatus.FORBIDDEN}
        assert User.objects.filter(pk=boss.pk).exists()
        assert User.objects.filter(pk=member.pk).exists()  # nothing of a refused selection


class TestTheLastSuperuser:
    def test_is_not_deleted(self, boss):
        client = Client()
        client.force_login(boss)

        response = client.post(delete_url(boss), {"post": "yes"})

        assert response.status_code == HTTPStatus.FORBIDDEN
        assert User.objects.filter(pk=boss.pk).exists()

    @pytest.mark.parametrize("dropped", ["is_superuser", "is_active"])
    def test_keeps_superuser_status_and_stays_active(self, boss, dropped):
        client = Client()
        client.force_login(boss)
        kept = change_form(boss) | {"is_staff": "on", "is_superuser": "on", "is_active": "on"}
        del kept[dropped]

        response = client.post(change_url(boss), kept)

        assert response.status_code == HTTPStatus.OK
        assert "the site&#x27;s last active superuser" in response.content.decode()
        boss.refresh_from_db()
        assert (boss.is_superuser, boss.is_active) == (True, True)

    def test_keeps_a_usable_password(self, boss):
        client = Client()
        client.force_login(boss)

        response = client.post(password_url(boss), DISABLE_PASSWORD)

        assert response.status_code == HTTPStatus.OK
        assert "the site&#x27;s last active superuser with a password" in response.content.decode()
        boss.refresh_from_db()
        assert boss.has_usable_password()

    @pytest.mark.parametrize("others_password", ["usable", "disabled"])
    def test_may_disable_a_password_while_another_superuser_has_one(self, boss, others_password):
        other = UserFactory(is_staff=True, is_superuser=True)
        if others_password == "disabled":
            other.set_unusable_password()
            other.save()
        client = Client()
        client.force_login(boss)

        response = client.post(password_url(boss), DISABLE_PASSWORD)

        boss.refresh_from_db()
        if others_password == "usable":
            assert response.status_code == HTTPStatus.FOUND
            assert not boss.has_usable_password()
        else:
            assert response.status_code == HTTPStatus.OK
            assert boss.has_usable_password()

    def test_one_of_two_may_go(self, boss):
        other = UserFactory(is_staff=True, is_superuser=True)
        client = Client()
        client.force_login(boss)

        response = client.post(delete_url(other), {"post": "yes"})

        assert response.status_code == HTTPStatus.FOUND
        assert not User.objects.filter(pk=other.pk).exists()

    def test_a_superuser_still_grants_everything(self, boss, manager):
        client = Client()
        client.force_login(boss)

        response = client.post(
            change_url(manager),
            change_form(manager) | {"is_staff": "on", "is_superuser": "on"},
        )

        assert response.status_code == HTTPStatus.FOUND
        manager.refresh_from_db()
        assert manager.is_superuser


class TestTheLastSuperuserInBulk:
    def test_the_list_s_bulk_action_does_not_delete_every_superuser(self, boss):
        other = UserFactory(is_staff=True, is_superuser=True)
        client = Client()
        client.force_login(boss)
        selected = {"action": "delete_selected", "_selected_action": [boss.pk, other.pk]}

        asked = client.post(reverse("admin:auth_user_changelist"), selected)
        refused = client.post(reverse("admin:auth_user_changelist"), selected | {"post": "yes"})

        # Each of two superusers alone may go (test_one_of_two_may_go); both at once not.
        assert "the site&#x27;s last active superuser" in asked.content.decode()
        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert User.objects.filter(pk__in=[boss.pk, other.pk]).count() == 2

    def test_superusers_may_go_in_bulk_while_one_stays(self, boss):
        others = UserFactory.create_batch(2, is_staff=True, is_superuser=True)
        client = Client()
        client.force_login(boss)

        response = client.post(
            reverse("admin:auth_user_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [o.pk for o in others],
                "post": "yes",
            },
        )

        assert response.status_code == HTTPStatus.FOUND
        assert list(User.objects.filter(is_superuser=True)) == [boss]


class TestGroups:
    """A group's permissions are its members' own: whoever edits the group grants them."""

    @pytest.fixture
    def group_editor(self):
        editor = UserFactory(username="editor", is_staff=True)
        group = Group.objects.create(name="editors")
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="auth",
                codename__in=["view_group", "add_group", "change_group", "delete_group"],
            )
        )
        editor.groups.add(group)
        return editor, group

    def test_staff_who_are_not_superusers_cannot_change_add_or_delete_groups(self, group_editor):
        editor, group = group_editor
        client = Client()
        client.force_login(editor)
        everything = [p.pk for p in Permission.objects.all()]

        changed = client.post(
            reverse("admin:auth_group_change", args=[group.pk]),
            {"name": "editors", "permissions": everything},
        )
        added = client.post(
            reverse("admin:auth_group_add"), {"name": "all", "permissions": everything}
        )
        deleted = client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})

        assert {changed.status_code, added.status_code, deleted.status_code} == {
            HTTPStatus.FORBIDDEN
        }
        editor = User.objects.get(pk=editor.pk)  # permissions are cached on the object
        assert not editor.has_perm("auth.delete_user")
        assert list(Group.objects.values_list("name", flat=True)) == ["editors"]
        # They still see the groups and what each grants.
        seen = client.get(reverse("admin:auth_group_change", args=[group.pk]))
        assert seen.status_code == HTTPStatus.OK

    def test_a_superuser_still_edits_groups(self, boss):
        group = Group.objects.create(name="editors")
        client = Client()
        client.force_login(boss)
        view_user = Permission.objects.get(codename="view_user")

        response = client.post(
            reverse("admin:auth_group_change", args=[group.pk]),
            {"name": "editors", "permissions": [view_user.pk]},
        )

        assert response.status_code == HTTPStatus.FOUND
        assert list(group.permissions.all()) == [view_user]
