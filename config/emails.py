"""Email addresses are unique in any letter case, empty ones aside: the database enforces
it (feedback migration 0014), and every way an account gets an address checks it here
first, so that it refuses in words rather than fail on the database's index. Sign-up and
the account page say so to the visitor (config/accounts.py); the admin's account page and
`createsuperuser` to staff. Where the index alone sees it (another account took the
address between the check and the save), the same words are given."""

from django.contrib.auth import get_user_model

TAKEN_BY_ANOTHER_ACCOUNT = "Another account already uses this email address, in some letter case."


def email_taken(email: str, *, other_than=None, using: str = "default") -> bool:
    """Whether an account other than `other_than` (a pk) has `email` in any case. An empty
    address is never taken: any number of accounts may have none."""
    if not email:
        return False
    accounts = get_user_model()._default_manager.db_manager(using).filter(email__iexact=email)
    if other_than is not None:
        accounts = accounts.exclude(pk=other_than)
    return accounts.exists()
