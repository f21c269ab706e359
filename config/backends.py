"""Logging in by username in any case, as signing up already treats usernames."""

from asgiref.sync import sync_to_async
from django.contrib.auth import check_password_with_timing_attack_mitigation, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.views.decorators.debug import sensitive_variables


def account_named(username: str):
    """The account whose username is `username` in any case, or None.

    The database refuses "Alice" when "alice" exists (feedback migration 0011), so
    "ALICE" can only mean that account; were several to differ only in case, only the
    exact one would name an account. One query.
    """
    User = get_user_model()
    field = User.USERNAME_FIELD
    found = list(User._default_manager.filter(**{f"{field}__iexact": username}))
    if len(found) == 1:
        return found[0]
    return next((user for user in found if user.get_username() == username), None)


class AnyCaseUsernameBackend(ModelBackend):
    """Django's ModelBackend (permissions included), finding the account by account_named."""

    @sensitive_variables("password")
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = account_named(username)
        # Hashes even without an account, so the time taken does not tell whether it exists.
        if check_password_with_timing_attack_mitigation(user, password) and (
            self.user_can_authenticate(user)
        ):
            return user
        return None

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        # ModelBackend's own would look the username up as it is typed.
        return await sync_to_async(self.authenticate)(request, username, password, **kwargs)
