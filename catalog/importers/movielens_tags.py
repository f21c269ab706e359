"""MovieLens' tags.csv: a rater's free-text tags on films, row by row, in batches."""

from datetime import UTC, datetime

from django.db import transaction

from catalog.importers.movielens_bulk import is_rater_id
from catalog.importers.reading import bar_for, move_to
from catalog.importers.report import quoted
from catalog.importers.writing import by_raters, sync_rows
from catalog.models import MovieTag, RatingSource


def import_tags(csv_file, movies, report, batch_size, progress) -> None:
    with bar_for(csv_file, progress, "tags") as bar:
        for batch in tag_batches(csv_file, movies, report, batch_size):
            with transaction.atomic():
                synced = sync_rows(
                    model=MovieTag,
                    wanted=batch,
                    existing=by_raters(
                        MovieTag.objects.filter(source=RatingSource.MOVIELENS),
                        {rater for rater, _, _ in batch},
                    ),
                    key=lambda tag: (tag.external_rater_id, tag.movie_id, tag.tag),
                    fields=["tagged_at"],
                )
            counts = report["tags"]
            counts.created += synced.created
            counts.updated += synced.updated
            counts.skipped += synced.unchanged
            move_to(bar, csv_file.lines_read)
        move_to(bar, csv_file.lines_read)  # lines the reader rejected after the last batch


def tag_batches(csv_file, movies, report, batch_size):
    """{(rater, movie pk, tag): MovieTag} a batch at a time, checked."""
    batch, lines = {}, 0
    carried = set()  # the last rater's tags, as for ratings (see movielens_ratings)
    for line, (user_id, movie_id, tag, timestamp) in csv_file.rows(report, "tags"):
        lines += 1
        tag = " ".join(tag.split())
        pk, why = movies.find(movie_id)
        reason = (
            why
            or (not is_rater_id(user_id.strip()) and f"userId {quoted(user_id)} is not a number")
            or (not tag and "the tag is empty")
            or (len(tag) > 255 and "the tag is longer than 255 characters")
            or (not is_unix_time(timestamp) and f"timestamp {timestamp!r} is not a Unix time")
        )
        key = (user_id.strip(), pk, tag)
        if reason:
            report.reject("tags", csv_file.name, line, reason)
        elif key in batch or key in carried:
            report["tags"].skipped += 1
        else:
            batch[key] = MovieTag(
                movie_id=pk,
                source=RatingSource.MOVIELENS,
                external_rater_id=key[0],
                tag=tag,
                tagged_at=datetime.fromtimestamp(int(timestamp), tz=UTC),
            )
        if lines == batch_size:
            yield batch
            carried = {key for key in batch if key[0] == user_id.strip()}
            batch, lines = {}, 0
    if lines:
        yield batch


def is_unix_time(text: str) -> bool:
    return text.isdigit() and text.isascii() and len(text) <= 10
