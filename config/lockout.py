"""Who a log-in attempt is, for django-axes' lockouts (settings: AXES_*_CALLABLE); the
password asked again of a logged-in person, counted as a log-in; and the attempts
forgotten with the account they were about."""

import ipaddress

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as reset_lockouts
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.views.decorators.debug import sensitive_variables

from config.backends import account_named

# django-axes keeps the name in a 255-character column: a longer one, typed by anyone
# at the log-in form, made PostgreSQL refuse the attempt's row (a 500). No account has
# such a name (auth_user allows 150), so cutting it counts those attempts together.
AXES_USERNAME_LENGTH = 255


def lockout_username(request, credentials: dict | None) -> str | None:
    """The account's own username when the typed one names an account in any case, as the
    log-in backend finds it; otherwise the typed one in lower case. Either way "ALICE" and
    "alice" are counted together, and the admin and `axes_reset_username` show the name
    the operator knows."""
    field = get_user_model().USERNAME_FIELD
    typed = credentials.get(field) if credentials else request.POST.get(field)
    if not typed:
        return typed
    account = account_named(typed)
    return account.get_username() if account else typed.casefold()[:AXES_USERNAME_LENGTH]


def client_ip(request) -> str | None:
    """The address a request came from.

    REMOTE_ADDR, unless MARQUEE_PROXY_COUNT proxies stand in front: each appends the
    address it was reached from to X-Forwarded-For, so the client is that many entries
    from the right. Entries further left are whatever the client sent, and are never read.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.MARQUEE_PROXY_COUNT
    if not count:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    # Fewer entries than proxies: the request did not come through all of them.
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


def forget_failed_logins(sender, instance, **kwargs) -> None:
    """post_delete of an account, however it goes (the account page, the admin, a command):
    the failed log-ins counted against its username go with it, or whoever takes the name
    next would start locked out. Inside the deletion's transaction, so they stay if it is
    rolled back."""
    reset_lockouts(username=instance.get_username())


@sensitive_variables("password")
def password_confirmed(request, *, user, password: str) -> bool:
    """Whether `password` is `user`'s, checked as a log-in to that account is.

    The pages that ask a logged-in person for their password (the email form, deleting
    the account, changing the password) would otherwise let whoever sits at an open
    session guess it without limit. Through authenticate(), django-axes counts a wrong one
    against the account from this address, and refuses to check any once it is locked
    out; it then marks the request, and its middleware answers with the log-in's lockout
    page. A right one starts that count again as a log-in does: this account's, from this
    address, and no one else's (not the count of someone guessing from elsewhere).
    """
    username = user.get_username()
    found = authenticate(request, **{user.USERNAME_FIELD: username}, password=password)
    if found is None or found.pk != user.pk:
        return False
    if settings.AXES_RESET_ON_SUCCESS:
        AxesProxyHandler.reset_attempts(username=username, ip_address=client_ip(request))
    return True
