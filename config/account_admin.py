"""The admin's account pages: Django's own, but a rename to a username another account has
in another letter case is a form error (config/usernames.py), not the database's refusal
answered with a 500. The add page already checks it: Django's creation form does."""

from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError

from config.usernames import TAKEN_IN_ANOTHER_CASE, username_taken


class AccountChangeForm(UserChangeForm):
    def clean_username(self):
        username = self.cleaned_data.get("username")
        if username and username_taken(username, other_than=self.instance.pk):
            raise ValidationError(TAKEN_IN_ANOTHER_CASE, code="unique")
        return username


class AccountAdmin(UserAdmin):
    form = AccountChangeForm
