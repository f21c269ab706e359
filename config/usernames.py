"""Usernames are unique in any letter case: the sign-up form says so (Django's own
check), the database enforces it (feedback migration 0011), and the two other ways an
account gets a name, the admin's account page and `createsuperuser`, check it here first,
so that they refuse in words rather than fail on the database's index."""

from django.contrib.auth import get_user_model

TAKEN_IN_ANOTHER_CASE = "A user with that username already exists, in another letter case."


def username_taken(username: str, *, other_than=None, using: str = "default") -> bool:
    """Whether an account other than `other_than` (a pk) has `username` in any case."""
    User = get_user_model()
    accounts = User._default_manager.db_manager(using).filter(
        **{f"{User.USERNAME_FIELD}__iexact": username}
    )
    if other_than is not None:
        accounts = accounts.exclude(pk=other_than)
    return accounts.exists()
