"""Rows today's schema allows that a data migration would change, were it run on them.

A data migration reads and writes the database being migrated. Tests of that (a second
database migrated beside this one, move_to_postgres) put these rows in the database that is
*not* being migrated, which must then come out unchanged. Only states today's CHECKs allow
can be written; the other data migrations are caught by their queries instead.

Every name and id is given, not left to the factories' sequences: tests.backups.world
writes these rows in a new process, beside rows an earlier process wrote from sequences
that start again.
"""

from catalog.models import Movie
from feedback.models import Media
from tests import factories as f


def film(title: str) -> Movie:
    return f.MovieFactory(title=title, tmdb_id=None, imdb_id=None)


def person(name: str):
    return f.UserFactory(username=f"mended-{name}", email=f"mended-{name}@example.com")


def write_rows_the_data_migrations_mend() -> None:
    # feedback 0002: a person's Marquee rating that is not their latest rated feedback
    # (2 stars where they last gave 5), and another's rated feedback with no rating at all:
    # the repair rewrites the one, adds the other and recomputes the film's stats.
    repaired = film("Mended Nowhere")
    f.RatingFactory(movie=repaired, user=person("rater"), value=3)  # the film has stats
    changed_mind = person("changed-mind")
    f.RatingFactory(movie=repaired, user=changed_mind, value=2)
    copy = f.MediaFactory(media_id="mended:repaired", movie=repaired)
    f.UserFeedbackFactory(media=copy, user=changed_mind, rating=5)
    f.UserFeedbackFactory(media=copy, user=person("never-rated"), rating=4)

    # catalog 0008 and feedback 0009: folded titles out of date, which they compute again.
    stale = film("Stale Titles")
    Movie.objects.filter(pk=stale.pk).update(search_title="stale")
    item = f.MediaFactory(media_id="mended:stale", movie=stale)
    Media.objects.filter(pk=item.pk).update(folded_title="stale")

    # catalog 0014: a recent search by three people that names a film, not yet marked.
    film("Chinatown")
    for searcher in range(3):
        # created_at is now (auto_now_add): within the 90 days 0014 looks at.
        f.UserSearchFactory(
            query="chinatown", user=person(f"searcher-{searcher}"), names_a_film=False
        )
