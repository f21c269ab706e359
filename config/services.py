"""Writes of a person's own account that do more than save(): its email address, and
the account itself deleted. The account settings pages (config/account_settings.py)
call these, once the person has typed their password.

Accounts are Django's own auth_user rows. The address rule here, no other account's in
any letter case, is checked first to say so in words; the database holds it too (feedback
migration 0014), and a change that loses the race to it gets the same words.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from config.accounts import EMAIL_IN_USE_MESSAGE, refuse_email_in_use
from config.emails import email_taken

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


def account_email_change(*, user, email: str) -> bool:
    """Give the account `email`, or no address with "": False if it had it already.
    Checked by account_email_checked. A new address is given only once its owner has
    followed the link sent to it (config/email_confirmation.py)."""
    checked = account_email_checked(user=user, email=email)
    if checked == user.email:
        return False
    previous, user.email = user.email, checked
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        user.email = previous  # the request's user, as the database still has it
        # Another account took the address since the check: only the index saw it.
        if not email_taken(checked, other_than=user.pk):
            raise
        in_use = ValidationError(EMAIL_IN_USE_MESSAGE, code="email_in_use")
        raise ValidationError({"email": in_use}) from None
    return True


def account_delete(*, user) -> None:
    """Delete the account and all that is the person's own.

    Their feedback, viewing history, watchlist, films turned down, lists, ratings, reviews,
    time zone and recommendation log go with it (on_delete CASCADE), and their films'
    rating stats are computed again without them (catalog/signals.py). Media items and
    films are everyone's and stay; searches they made stay too, without their name (SET_NULL), and
    so leave "What people search for most", which counts members only. The
    failed log-ins counted against the username go as well, as with every deletion of an
    account (config/lockout.py).
    """
    if not account_deletable_here(user):
        raise ValidationError(STAFF_DELETION_MESSAGE, code="staff_account")
    user.delete()
