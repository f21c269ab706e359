"""Which account a command's username names: as log-in finds it (config/backends.py)."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def account_named_in_any_case(username: str):
    """The account called `username` in any case, the exact one first; None if none is.

    Log-in and sign-up take "ALICE" for "alice", so the commands do too. The database
    keeps usernames unique in any case (feedback migration 0011); were several to differ
    only in case, only the exact one would name an account, and without it the command
    says it cannot guess, on one line.
    """
    if "\x00" in username:
        # PostgreSQL refuses a NUL in a query parameter; no username holds one.
        raise CommandError(f"No username holds a NUL character: {username!r}.")
    User = get_user_model()
    field = User.USERNAME_FIELD
    found = sorted(
        User._default_manager.filter(**{f"{field}__iexact": username}),
        key=lambda user: user.get_username(),
    )
    exact = next((user for user in found if user.get_username() == username), None)
    if exact is not None or len(found) <= 1:
        return exact or next(iter(found), None)
    names = ", ".join(repr(user.get_username()) for user in found)
    raise CommandError(
        f"{len(found)} accounts are called {username!r} in some case ({names}): "
        "type one of them exactly."
    )
