"""The admin's account pages: Django's own, with four rules of Marquee's.

- A rename to a username another account has in another letter case, or an email
  address another account has in any case, is a form error (config/usernames.py,
  config/emails.py), not the database's refusal answered with a 500; so is one another
  account takes while the page saves. The add page already checks the username
  (Django's creation form does) and has no email field.
- No staff member gets more than they have. Django's UserAdmin lets anyone with "change
  user" tick "Superuser status" on their own account, or set a fellow staff member's
  password and log in as them, and anyone with "delete user" delete every superuser.
  Here only a superuser changes or deletes a staff or superuser account, or grants staff
  status, superuser status, groups or permissions; other staff manage members' accounts.
- The site keeps an active superuser: the last one is not deleted, demoted or
  deactivated, or nobody could run the backups page or name a new superuser but the shell.
  Nor are all of them at once with the list's bulk delete. Nor does the password page
  disable the password of the last one who has one: nobody could log in, and a password
  reset sends no mail to an account without a usable password.
- Groups are a superuser's to change: a group's permissions are its members', so whoever
  edits a group they are in grants themselves what they like.
- "Last login" and "Date joined" make sense, as Marquee's own dates do (catalog.bounds):
  saved, a date of the year 1 or 9999 was a 500 on the page for staff in a time zone
  behind or ahead of UTC, where it falls outside the years Python counts. Django's User
  is not Marquee's, so the form holds the rule, not a CHECK. The add page asks for no
  date: a new account joins now and has not logged in.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
)
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from catalog.bounds import PLAUSIBLE_DATE_VALIDATORS
from config.accounts import ValidatorErrorsUnderTheTypedPassword
from config.admin_deletion import DeletionListedInFewQueries
from config.admin_stale import StaleSaveRefused
from config.emails import TAKEN_BY_ANOTHER_ACCOUNT, email_taken
from config.usernames import TAKEN_IN_ANOTHER_CASE, username_taken

# What only a superuser gives.
PRIVILEGES = ("is_staff", "is_superuser", "groups", "user_permissions")
LAST_SUPERUSER_MESSAGE = (
    "This is the site's last active superuser: it stays a superuser and active, so that "
    "someone can always run the site. Make another account superuser first."
)

LAST_SUPERUSER_LOGIN_MESSAGE = (
    "This is the site's last active superuser with a password: it keeps one, so that "
    "someone can always log in to run the site. Make another account superuser first."
)

# Django's confirmation page names it among what the account may not delete.
LAST_SUPERUSER_REFUSAL = "the site's last active superuser"


def is_last_superuser(user) -> bool:
    """Whether `user` is the one active superuser (as saved, whatever a form says)."""
    superusers = get_user_model()._default_manager.filter(is_superuser=True, is_active=True)
    return list(superusers.values_list("pk", flat=True)[:2]) == [user.pk]


def is_last_superuser_with_a_password(user) -> bool:
    """Whether `user` is the one active superuser who can log in with a password."""
    superusers = get_user_model()._default_manager.filter(is_superuser=True, is_active=True)
    with_password = superusers.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    return list(with_password.values_list("pk", flat=True)[:2]) == [user.pk]


def leaves_no_superuser(accounts) -> bool:
    """Whether deleting `accounts` deletes every active superuser. Each of them alone may
    go while another stays (is_last_superuser), so a bulk delete is checked as a whole."""
    superusers = get_user_model()._default_manager.filter(is_superuser=True, is_active=True)
    remaining = set(superusers.values_list("pk", flat=True))
    return bool(remaining) and remaining <= {account.pk for account in accounts}


def privileged(user) -> bool:
    return user.is_staff or user.is_superuser


# The account's dates a superuser may change on its page.
ACCOUNT_DATES = ("last_login", "date_joined")


class AccountChangeForm(StaleSaveRefused, UserChangeForm):
    # Refused when someone changed the account since the page was drawn
    # (config/admin_stale.py), its person logging in ("last login") included.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ACCOUNT_DATES:
            if name in self.fields:  # not when a ModelAdmin leaves it out
                self.fields[name].validators.extend(PLAUSIBLE_DATE_VALIDATORS)

    def clean_username(self):
        username = self.cleaned_data.get("username")
        if username and username_taken(username, other_than=self.instance.pk):
            raise ValidationError(TAKEN_IN_ANOTHER_CASE, code="unique")
        return username

    def clean_email(self):
        email = self.cleaned_data.get("email")
        if email_taken(email, other_than=self.instance.pk):
            raise ValidationError(TAKEN_BY_ANOTHER_ACCOUNT, code="email_in_use")
        return email

    def clean(self):
        cleaned = super().clean()
        # Fields a non-superuser's form does not have keep their saved values.
        keeps = all(cleaned.get(name, True) for name in ("is_superuser", "is_active"))
        if not keeps and is_last_superuser(self.instance):
            raise ValidationError(LAST_SUPERUSER_MESSAGE, code="last_superuser")
        return cleaned


class AccountCreationForm(ValidatorErrorsUnderTheTypedPassword, AdminUserCreationForm):
    """The admin's "Add user" form, a weak password's errors under "Password"."""


class AccountPasswordChangeForm(ValidatorErrorsUnderTheTypedPassword, AdminPasswordChangeForm):
    def clean(self):
        cleaned = super().clean()  # "set_usable_password" is False for "Disabled"
        if cleaned.get("set_usable_password") is False and is_last_superuser_with_a_password(
            self.user
        ):
            # On the choice itself: Django's template shows no error of the whole form.
            self.add_error(
                "usable_password",
                ValidationError(LAST_SUPERUSER_LOGIN_MESSAGE, code="last_superuser_password"),
            )
        return cleaned


class AccountAdmin(DeletionListedInFewQueries, UserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    change_password_form = AccountPasswordChangeForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            # Another account took the username or the address between this form's check
            # and its save: only the database's indexes saw it, and the page's transaction
            # took everything back. Sent again, the form's own checks say which, in words.
            posted = request.POST
            if not (
                username_taken(posted.get("username", "").strip(), other_than=object_id)
                or email_taken(posted.get("email", "").strip(), other_than=object_id)
            ):
                raise
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *PRIVILEGES)

    def has_change_permission(self, request, obj=None):
        # Also guards the admin's password change page for the account.
        return super().has_change_permission(request, obj) and self.may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_last_superuser(obj):
            return False
        return super().has_delete_permission(request, obj) and self.may_manage(request, obj)

    def get_deleted_objects(self, objs, request):
        # What Django's delete pages refuse with: listed on the confirmation page as
        # not deletable, and the POST that would delete them answered 403.
        deleted, counts, refused, protected = super().get_deleted_objects(objs, request)
        if leaves_no_superuser(objs):
            refused.add(LAST_SUPERUSER_REFUSAL)
        return deleted, counts, refused, protected

    @staticmethod
    def may_manage(request, obj) -> bool:
        return obj is None or request.user.is_superuser or not privileged(obj)


class SuperuserGroupAdmin(GroupAdmin):
    """Django's groups, read by staff who may view them and changed by superusers only."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
