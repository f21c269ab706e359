"""Writes of a person's own account that do more than save(): its email address, and
the account itself deleted. The account settings pages (config/account_settings.py)
call these, once the person has typed their password.

Accounts are Django's own auth_user rows, which carry no constraint of Marquee's; the
rules here are checked in Python only (README, accounts).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from config.accounts import refuse_email_in_use

# Staff accounts run the site: the admin's history of their changes goes with them, and
# the last superuser gone would leave nobody to run it. A slip on this page must not do
# that, so they are deleted in the admin, by a superuser who means it.
STAFF_DELETION_MESSAGE = (
    "This account can open the admin, so it is not deleted here: a superuser deletes it "
    "in the admin, under Users. That way the site is never left without someone to run it."
)


def account_deletable_here(user) -> bool:
    return not (user.is_staff or user.is_superuser)


def account_email_checked(*, user, email: str) -> str:
    """`email` as the account would keep it, or ValidationError: checked as Django's own
    forms check it (format, length, the domain put in lower case), and refused, with
    sign-up's message, when another account has the address in any letter case. Only the
    email is validated: an older row's other fields, such as a username from before
    today's rules, must not stop its owner from adding an address."""
    previous = user.email
    user.email = email
    try:
        user.full_clean(exclude=[f.name for f in user._meta.fields if f.name != "email"])
        try:
            refuse_email_in_use(user.email, account=user)
        except ValidationError as error:
            raise ValidationError({"email": error}) from None
        return user.email
    finally:
        user.email = previous  # the caller's object is the request's user: leave it as it was


@transaction.atomic
def account_email_change(*, user, email: str) -> bool:
    """Give the account `email`, or no address with "": False if it had it already.
    Checked by account_email_checked. A new address is given only once its owner has
    followed the link sent to it (config/email_confirmation.py)."""
    checked = account_email_checked(user=user, email=email)
    if checked == user.email:
        return False
    user.email = checked
    user.save(update_fields=["email"])
    return True


def account_delete(*, user) -> None:
    """Delete the account and all that is the person's own.

    Their feedback, viewing history, watchlist, ratings, reviews, time zone and
    recommendation log go with it (on_delete CASCADE), and their films' rating stats are
    computed again without them (catalog/signals.py). Media items and films are
    everyone's and stay; searches they made stay too, without their name (SET_NULL). The
    failed log-ins counted against the username go as well, as with every deletion of an
    account (config/lockout.py).
    """
    if not account_deletable_here(user):
        raise ValidationError(STAFF_DELETION_MESSAGE, code="staff_account")
    user.delete()
