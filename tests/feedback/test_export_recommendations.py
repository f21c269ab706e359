"""The recommendations Marquee showed someone, in their export and back: every pick on its
slate and slot, the one chosen, and the item of a film deleted since.

The round trip of every column, the versions before and the query count are in
test_exports.py, with the rest of the export.
"""

import json
import uuid

import pytest

from catalog.models import Movie
from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import export_csv_zip, export_json
from feedback.models import Media
from feedback.services import movie_media
from recommendations.models import RecommendationLog
from recommendations.services import Recommendation, recommendation_select, slate_log
from tests.factories import MediaFactory, MovieFactory, RecommendationLogFactory, UserFactory
from tests.feedback.test_export_media_ids import another_marquee

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown(user):
    """A slate of three whose backup the person chose."""
    slate = uuid.uuid4()
    for slot, chosen in (("primary", False), ("backup", True), ("wildcard", False)):
        RecommendationLogFactory(
            user=user,
            media=MediaFactory(media_id=f"plex:{slot}"),
            slate_id=slate,
            recommendation_type=slot,
            selected=chosen,
        )
    return user


def picks(user) -> list[tuple]:
    """The person's picks, as the export holds them."""
    return [
        (row["slate_id"], row["recommendation_type"], row["media_id"], row["selected"])
        for row in json.loads(export_json(user))["recommendations"]
    ]


def test_a_choice_moved_since_the_export_moves_back_to_the_export_s(shown):
    rows = read_export(export_json(shown))
    before = picks(shown)
    # A pick after the backup: the backup's row comes first, while the wildcard is chosen.
    wildcard = RecommendationLog.objects.get(recommendation_type="wildcard")
    recommendation_select(user=shown, log_id=wildcard.pk)

    counts = user_export_import(user=shown, rows=rows)

    assert picks(shown) == before
    assert (counts.updated["recommendations"], counts.unchanged["recommendations"]) == (2, 1)


def test_two_chosen_picks_of_one_slate_are_refused_naming_the_row(shown):
    rows = read_export(export_json(shown))
    rows["recommendations"][2]["selected"] = True  # the wildcard too
    another_marquee()

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=UserFactory(), rows=rows)

    assert str(refused.value) == ("recommendations row 3: Only one pick of a slate can be chosen.")
    assert not RecommendationLog.objects.exists()


@pytest.mark.parametrize("build", [export_json, export_csv_zip])
def test_an_export_of_someone_here_imported_into_another_account_keeps_both_apart(shown, build):
    """The slate ids are the first person's: the second gets ids of their own, one slate
    still, and the same at a second import."""
    exported, before = build(shown), picks(shown)
    newcomer = UserFactory()

    counts = user_export_import(user=newcomer, rows=read_export(exported))
    again = user_export_import(user=newcomer, rows=read_export(exported))

    assert picks(shown) == before
    theirs = picks(newcomer)
    assert [pick[1:] for pick in theirs] == [pick[1:] for pick in before]
    assert len({pick[0] for pick in theirs}) == 1
    assert theirs[0][0] != before[0][0]
    assert counts.created["recommendations"] == 3
    assert (again.created["recommendations"], again.unchanged["recommendations"]) == (0, 3)


def logged(user, *movies: Movie) -> None:
    """The movies shown to the person in one slate, as the recommendations page logs it."""
    slots = ("primary", "backup", "wildcard")
    slate_log(
        user=user,
        picks=[
            Recommendation(movie.pk, movie.title, 0.5, "Because", slot)
            for movie, slot in zip(movies, slots, strict=False)
        ],
    )


@pytest.mark.parametrize("build", [export_json, export_csv_zip])
def test_marquee_s_own_items_come_back_on_the_film_or_on_no_film(user, build):
    """A pick's item is Marquee's own for its film (marquee:movie:<pk>): on the film's own
    item in the Marquee it is imported into; or, its film deleted, that item of no film."""
    kept, deleted = MovieFactory(title="Kept", tmdb_id=11), MovieFactory(title="Deleted")
    logged(user, kept, deleted)
    gone_id = f"marquee:movie:{deleted.pk}"
    deleted.delete()
    exported = build(user)
    another_marquee()
    restored = UserFactory()

    user_export_import(user=restored, rows=read_export(exported))

    kept = Movie.objects.get(tmdb_id=11)
    by_slot = {
        row.recommendation_type: row.media
        for row in RecommendationLog.objects.filter(user=restored).select_related("media")
    }
    assert by_slot["primary"] == movie_media(movie=kept)
    assert (by_slot["backup"].media_id, by_slot["backup"].movie) == (gone_id, None)
    assert Media.objects.count() == 2
