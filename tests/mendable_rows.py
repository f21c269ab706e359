"""Rows today's schema allows that a data migration would change, were it run on them.

A data migration reads and writes the database being migrated. Tests of that (a second
database migrated beside this one, move_to_postgres) put these rows in the database that is
*not* being migrated, which must then come out unchanged. Only states today's CHECKs allow
can be written; the other data migrations are caught by their queries instead.
"""

from catalog.models import Movie
from feedback.models import Media
from tests import factories as f


def write_rows_the_data_migrations_mend() -> None:
    # feedback 0002: a person's Marquee rating that is not their latest rated feedback
    # (2 stars where they last gave 5), and another's rated feedback with no rating at all:
    # the repair rewrites the one, adds the other and recomputes the film's stats.
    film = f.MovieFactory(title="Mended Nowhere")
    f.RatingFactory(movie=film, value=3)  # someone else's: the film has stats
    changed_mind = f.UserFactory()
    f.RatingFactory(movie=film, user=changed_mind, value=2)
    copy = f.MediaFactory(movie=film)
    f.UserFeedbackFactory(media=copy, user=changed_mind, rating=5)
    f.UserFeedbackFactory(media=copy, user=f.UserFactory(), rating=4)

    # catalog 0008 and feedback 0009: folded titles out of date, which they compute again.
    stale = f.MovieFactory(title="Stale Titles")
    Movie.objects.filter(pk=stale.pk).update(search_title="stale")
    Media.objects.filter(pk=f.MediaFactory(movie=stale).pk).update(folded_title="stale")

    # catalog 0014: a recent search by three people that names a film, not yet marked.
    named = f.MovieFactory(title="Chinatown")
    for _ in range(3):
        # created_at is now (auto_now_add): within the 90 days 0014 looks at.
        f.UserSearchFactory(query="chinatown", user=f.UserFactory(), names_a_film=False)
    assert named.search_title  # what 0014 matches the query against
