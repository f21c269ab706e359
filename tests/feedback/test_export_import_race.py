"""Two imports of the same export at once, into two accounts, both make the films and
items it names that this Marquee lacks: the one that commits second finds the first's
rows where it expected none, and the database refuses them. The command says so on one
line and changes nothing (its transaction is rolled back), rather than a traceback."""

import io

import pytest
from django.core.management import CommandError, call_command

from catalog.importers.matching import MovieIndex
from catalog.models import Movie
from feedback.exports import export_json
from feedback.models import UserFeedback
from tests.factories import MediaFactory, MovieFactory, UserFactory, UserFeedbackFactory

pytestmark = pytest.mark.django_db


def test_a_film_another_import_made_meanwhile_stops_the_import_on_one_line(tmp_path, monkeypatch):
    owner = UserFactory()
    film = MovieFactory(title="Brazil", year=1985, tmdb_id=68, imdb_id="tt0088846")
    item = MediaFactory(movie=film)
    UserFeedbackFactory(user=owner, media=item, rating=5)
    path = tmp_path / "export.json"
    path.write_bytes(export_json(owner))
    UserFeedback.objects.filter(user=owner).delete()  # the film and the item are new here
    item.delete()
    film.delete()
    reader = UserFactory(username="reader")
    loaded = MovieIndex.load

    def load_then_another_import_commits():
        # The import has read the catalog; the other import's film arrives after.
        index = loaded()
        Movie.objects.create(title="Brazil", year=1985, tmdb_id=68, imdb_id="tt0088846")
        return index

    monkeypatch.setattr(MovieIndex, "load", staticmethod(load_then_another_import_commits))

    with pytest.raises(CommandError) as refused:
        call_command("import_user_export", str(path), user="reader", stdout=io.StringIO())

    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("export.json: ")
    assert "nothing was imported. Run it again" in message
    assert not UserFeedback.objects.filter(user=reader).exists()
