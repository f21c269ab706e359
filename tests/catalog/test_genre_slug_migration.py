"""Catalog migration 0021 mends each genre's slug that no address can hold before its
CHECKs refuse one: each run of "/" and control characters becomes "-", "-" at either end
goes; a slug that leaves nothing, "." or ".." is made from the name, or "genre-<id>"; "-2",
"-3"... where the mended slug is another genre's in any case, within 64 characters."""

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import assert_refused_by_database
from tests.migration_states import applied_migrations, models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("catalog", "0020_review_edit_dates_plausible")
MIGRATION = "0021_genre_slugs_fit_their_address"
LONG = "a" * 62  # with "/b", a 64-character slug

# Each genre, oldest first: its name, the slug it had, and the one the migration leaves.
GENRES = [
    ("Film noir", "film/noir", "film-noir"),
    ("Drama", "drama", "drama"),  # a good slug keeps its place
    ("Drama again", "drama/", "drama-2"),  # "drama" is taken
    ("Comedy", "", "comedy"),  # empty: made from the name
    ("Science fiction", ".", "science-fiction"),
    ("Western", "..", "western"),
    ("Ciné-club", "./", "cine-club"),  # as an import makes a slug: ASCII where it can
    ("アクション", "/", "アクション"),
    ("!!!", "-/-", "genre-{pk}"),  # nothing left, and no letter or digit in the name
    ("Tab", "a\tb", "a-b"),
    ("Lines", "\r\n\x85x\x1b/\x7f", "x"),
    ("Shouting", "COMEDY/", "COMEDY-2"),  # "comedy" is taken, in another case
    ("Bad slug genre", "bad slug", "bad slug"),  # it links: it stays
    ("Dots", "a.b", "a.b"),
    ("Dashes", "-dashes-", "-dashes-"),  # only a slug that breaks the rule loses its "-"
    ("Long", f"{LONG}/b", f"{LONG}-b"),
    ("Long again", f"{LONG}\nb", f"{LONG}-2"),  # "-2" in the place of the last two
]


def test_slugs_that_break_the_rule_are_mended_and_others_left_alone():
    genres = list(GENRES)
    if connection.vendor == "sqlite":  # PostgreSQL stores no NUL at all
        genres.append(("Nul", "nul\x00genre", "nul-genre"))
    with models_before(*BEFORE) as apps:
        Genre = apps.get_model("catalog", "Genre")
        pks = [Genre.objects.create(name=name, slug=slug).pk for name, slug, _ in genres]
        Movie = apps.get_model("catalog", "Movie")
        film = Movie.objects.create(title="Out of the Past")
        film.genres.set(pks)

        call_command("migrate", "catalog", verbosity=0)

        slugs = dict(Genre.objects.values_list("pk", "slug"))
        expected = [new.format(pk=pk) for pk, (_, _, new) in zip(pks, genres, strict=True)]
        assert slugs == dict(zip(pks, expected, strict=True))
        assert all(len(slug) <= 64 for slug in slugs.values())
        assert set(Movie.objects.get().genres.values_list("pk", flat=True)) == set(pks)
        assert MIGRATION in applied_migrations("catalog")

    assert_refused_by_database("catalog_genre", name="Thriller", slug="thriller/")


def test_unapplying_it_drops_the_checks_and_leaves_the_slugs_as_they_are():
    with models_before(*BEFORE) as apps:
        Genre = apps.get_model("catalog", "Genre")
        pk = Genre.objects.create(name="Film noir", slug="film/noir").pk
        call_command("migrate", "catalog", verbosity=0)

        call_command("migrate", *BEFORE, verbosity=0)

        assert dict(Genre.objects.values_list("pk", "slug")) == {pk: "film-noir"}
        assert MIGRATION not in applied_migrations("catalog")
        # The CHECKs are gone: a slug with a "/" is taken again.
        Genre.objects.create(name="Thriller", slug="thriller/")
