"""Every page a visitor or a member reaches meets WCAG 2.1 A and AA as far as axe-core
can tell, at a desktop width and a phone's, with the data a real member has: films with
genres, reviews and ratings; feedback, viewings, a watchlist, a list, a Tonight slate.

axe-core comes inside axe-playwright-python and is read from disk: nothing is fetched.
One live server, one browser, the pages visited in turn by one module fixture (a member's
world built once, not once a page); each page is then its own test, so a failure names it.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from pytest_django.live_server_helper import LiveServer

from catalog.models import ReviewSource
from tests.factories import (
    DEFAULT_PASSWORD,
    FilmListEntryFactory,
    FilmListFactory,
    GenreFactory,
    MediaFactory,
    MovieFactory,
    MoviePriorFactory,
    NotInterestedFactory,
    RatingFactory,
    RecommendationLogFactory,
    ReviewFactory,
    UserFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)

# For pytest-django to make the test database: the tests only read what `audit` found.
pytestmark = pytest.mark.django_db

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
# WCAG 2.0 and 2.1, levels A and AA: what the pages promise. Of axe's best practices,
# those that keep a page's outline readable to a screen reader (landmarks, one main, an
# h1, headings in order): the rest would slow every page for little.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {
        rule: {"enabled": True}
        for rule in (
            "landmark-one-main",
            "landmark-unique",
            "region",
            "page-has-heading-one",
            "heading-order",
        )
    },
    "resultTypes": ["violations"],
}
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
# Who opens a page: someone signed out, the member with a little of everything, and a
# member who has only just signed up (each page's empty state).
VISITOR, MEMBER, NEWCOMER = "visitor", "reader", "newcomer"


def refused_login(page):
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()


def refused_sign_up(page):
    page.get_by_label("Username").fill(MEMBER)  # taken
    page.get_by_label("Password", exact=True).fill("password")
    page.get_by_label("Password confirmation").fill("another")
    page.get_by_role("button", name="Sign up").click()


# (name, who, address, then): the address may name the world's rows; `then`, when given,
# sends the page's form wrongly, for the page showing what is wrong.
PAGES = [
    ("home", VISITOR, "/", None),
    ("home signed in", MEMBER, "/", None),
    ("film list", VISITOR, "/movies/", None),
    ("film list filtered", MEMBER, "/movies/?genres={drama}&title=film&year_min=1950", None),
    ("film list bad filters", VISITOR, "/movies/?year_min=soon&runtime_max=-4", None),
    ("film page", VISITOR, "/movies/{film}/", None),
    ("film page signed in", MEMBER, "/movies/{film}/", None),
    ("film reviews", VISITOR, "/movies/{film}/reviews/", None),
    ("review form", MEMBER, "/movies/{film}/review/", None),
    ("search results", VISITOR, "/search/?q=film", None),
    ("search nothing found", MEMBER, "/search/?q=zzzz", None),
    ("genre page", VISITOR, "/genres/drama/", None),
    ("my reviews", MEMBER, "/reviews/", None),
    ("review delete", MEMBER, "/reviews/{review}/delete/", None),
    ("tonight", MEMBER, "/recommendations/", None),
    ("history", MEMBER, "/history/", None),
    ("history edit form", MEMBER, "/history/{viewing}/edit/", None),
    ("history delete", MEMBER, "/history/{viewing}/delete/", None),
    ("stats", MEMBER, "/stats/", None),
    ("library", MEMBER, "/library/", None),
    ("library item", MEMBER, "/library/media/{media}/", None),
    ("watchlist", MEMBER, "/watchlist/", None),
    ("lists", MEMBER, "/lists/", None),
    ("one list", MEMBER, "/lists/{film_list}/", None),
    ("one list adding a film", MEMBER, "/lists/{film_list}/?find=film", None),
    ("films turned down", MEMBER, "/not-interested/", None),
    ("tonight after turning one down", MEMBER, "/recommendations/?turned_down={turned_down}", None),
    ("list delete", MEMBER, "/lists/{film_list}/delete/", None),
    ("account", MEMBER, "/accounts/settings/", None),
    ("email change", MEMBER, "/accounts/settings/email/", None),
    ("password change", MEMBER, "/accounts/password_change/", None),
    ("account delete", MEMBER, "/accounts/settings/delete/", None),
    ("email link refused", MEMBER, "/accounts/settings/email/confirm/unknown-key/", None),
    ("log out", MEMBER, "/accounts/logout/", None),
    ("letterboxd import", MEMBER, "/accounts/import/letterboxd/", None),
    ("imdb import", MEMBER, "/accounts/import/imdb/", None),
    ("trakt import", MEMBER, "/accounts/import/trakt/", None),
    ("tonight empty", NEWCOMER, "/recommendations/", None),
    ("history empty", NEWCOMER, "/history/", None),
    ("stats empty", NEWCOMER, "/stats/", None),
    ("library empty", NEWCOMER, "/library/", None),
    ("watchlist empty", NEWCOMER, "/watchlist/", None),
    ("lists empty", NEWCOMER, "/lists/", None),
    ("my reviews empty", NEWCOMER, "/reviews/", None),
    ("films turned down empty", NEWCOMER, "/not-interested/", None),
    ("login", VISITOR, "/accounts/login/", None),
    ("login refused", VISITOR, "/accounts/login/", refused_login),
    ("sign-up", VISITOR, "/accounts/signup/", None),
    ("sign-up refused", VISITOR, "/accounts/signup/", refused_sign_up),
    ("password reset", VISITOR, "/accounts/password_reset/", None),
    ("password reset sent", VISITOR, "/accounts/password_reset/done/", None),
    ("password reset new password", VISITOR, "/accounts/reset/{reset_uid}/{reset_token}/", None),
    ("password reset link expired", VISITOR, "/accounts/reset/MQ/old-token/", None),
    ("not found", VISITOR, "/no-such-page/", None),
]

# What a page must show for its audit to mean what its name says: not an empty state
# nor a form sent without a fault.
SHOWS = {
    "tonight": ".slate .pick, .slate li",
    "film list bad filters": ".error",
    "login refused": ".form-errors, .error",
    "sign-up refused": ".error",
    "one list": ".card, li",
    "one list adding a film": "form[action$='/add/']",
    "films turned down": ".not-interested-table tbody tr",
    "tonight after turning one down": ".undo-not-interested",
    "password reset new password": "input[type=password]",
}


def build_world() -> dict:
    """A member with a little of everything, among films others have rated and reviewed."""
    drama = GenreFactory(name="Drama", slug="drama")
    science_fiction = GenreFactory(name="Science Fiction", slug="science-fiction")
    critic = UserFactory(username="critic")
    films = [MovieFactory(genres=[drama] if n % 2 else [drama, science_fiction]) for n in range(24)]
    member = UserFactory(username=MEMBER)
    UserFactory(username=NEWCOMER)
    # A signed-in member's reset link would not hold: logging in changes what it signs.
    forgetful = UserFactory(username="forgetful")
    for film in films:
        MoviePriorFactory(movie=film)
    for film in films[:12]:
        ReviewFactory(movie=film)
        RatingFactory(movie=film, user=critic, value=1 + len(film.title) % 5)
        RatingFactory(movie=film, aggregate=True)
    film = films[0]
    review = ReviewFactory(
        movie=film, member=True, user=member, text="Slow, then <i>wonderful</i>."
    )
    ReviewFactory(movie=film, source=ReviewSource.CRITIC, author="A. Critic")
    viewings = []
    for watched in films[:6]:
        media = MediaFactory(movie=watched)
        UserFeedbackFactory(media=media, user=member, rating=1 + watched.pk % 5)
        RatingFactory(movie=watched, user=member)
        viewings.append(ViewingHistoryFactory(user=member, media=media))
    for wanted in films[6:9]:
        WatchlistEntryFactory(user=member, movie=wanted)
    for turned_down in films[20:22]:
        NotInterestedFactory(user=member, movie=turned_down)
    film_list = FilmListFactory(user=member, name="Rainy Sundays")
    for listed in films[3:7]:
        FilmListEntryFactory(film_list=film_list, movie=listed, note="Watch with tea.")
    # An earlier slate, for the page's "slates already shown"; the page makes tonight's.
    for kind in ("primary", "backup", "wildcard"):
        RecommendationLogFactory(
            user=member, media=MediaFactory(movie=films[12]), recommendation_type=kind
        )
    return {
        "drama": drama.pk,
        "film": film.pk,
        "viewing": viewings[0].pk,
        "film_list": film_list.pk,
        "turned_down": films[20].pk,
        "review": review.pk,
        "media": viewings[0].media.media_id,
        "reset_uid": urlsafe_base64_encode(force_bytes(forgetful.pk)),
        "reset_token": default_token_generator.make_token(forgetful),
    }


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def violations_report(violations: list[dict], shown: int = 5) -> str:
    """Each rule broken, with the first few elements that break it and why."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(nodes)} elements): "
            f"{violation['help']} {violation['helpUrl']}"
        )
        for node in nodes[:shown]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
        if len(nodes) > shown:
            lines.append(f"    and {len(nodes) - shown} more")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def audit(browser, django_db_setup, django_db_blocker):
    """Each page's violations, by (width, name), found in one pass over the pages.

    The fixture serves the pages itself rather than through `live_server`, which would
    make each test below a transactional one, emptying the database after each: they
    only read what this pass found."""
    axe = Axe()
    found, scripts, requests, missing = {}, {}, [], []
    # The suite's fast hashing (tests/conftest.py) is per test; this fixture is not.
    fast_hashing = override_settings(PASSWORD_HASHERS=[FAST_HASHER])
    with django_db_blocker.unblock(), fast_hashing:
        server = LiveServer("localhost")
        try:
            world = build_world()
            pages = {}
            for who in (VISITOR, MEMBER, NEWCOMER):
                # axe's checks need the page's script engine (its promises wait on timers),
                # so these contexts keep JavaScript on, unlike the journeys'. The pages
                # carry no script of their own (checked below), so axe sees the page a
                # reader without JavaScript gets.
                context = browser.new_context(base_url=server.url)
                context.set_default_timeout(10_000)
                context.on("request", lambda request: requests.append(request.url))
                pages[who] = context.new_page()
            for who in (MEMBER, NEWCOMER):
                sign_in(pages[who], who)
            for width, size in WIDTHS.items():
                for page in pages.values():
                    page.set_viewport_size(size)
                for name, who, address, then in PAGES:
                    page = pages[who]
                    page.goto(address.format(**world))
                    if then:
                        then(page)
                    scripts[name] = page.evaluate("document.scripts.length")
                    if name in SHOWS and not page.locator(SHOWS[name]).count():
                        missing.append(name)
                    found[width, name] = axe.run(page, options=AXE_OPTIONS).response["violations"]
            for page in pages.values():
                page.context.close()
        finally:
            server.stop()
            # What the pages wrote and the world, gone as a transactional test leaves it.
            for alias in connections:
                call_command("flush", database=alias, interactive=False, verbosity=0)
    return {
        "violations": found,
        "scripts": {name: count for name, count in scripts.items() if count},
        "missing": missing,
        "elsewhere": [url for url in requests if not url.startswith(server.url)],
    }


def test_the_pages_audited_are_those_meant(audit):
    assert audit["missing"] == []
    assert audit["scripts"] == {}
    assert audit["elsewhere"] == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [name for name, *_ in PAGES])
def test_page_meets_wcag_2_1_aa(audit, width, name):
    violations = audit["violations"][width, name]
    assert violations == [], violations_report(violations)
