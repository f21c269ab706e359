"""Media items' titles folded (catalog/folding.py) for the library's title box, so that
"amelie" finds Amélie on both databases, as the film search does."""

from django.db import migrations, models

from catalog.folding import fold

BATCH = 2000


def fold_titles(apps, schema_editor):
    """Every item's folded title, a batch of items at a time (memory stays flat)."""
    Media = apps.get_model("feedback", "Media")
    db = schema_editor.connection.alias  # the database being migrated, not default
    items = Media.objects.using(db).order_by("pk").only("pk", "title")
    last = ""  # below every media id, none of which is empty
    while batch := list(items.filter(pk__gt=last)[:BATCH]):
        for item in batch:
            item.folded_title = fold(item.title)
        Media.objects.using(db).bulk_update(batch, ["folded_title"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("feedback", "0008_minutes_watched_at_most_a_week")]

    operations = [
        migrations.AddField(
            model_name="media",
            name="folded_title",
            field=models.TextField(db_default="", default="", editable=False),
        ),
        migrations.RunPython(fold_titles, migrations.RunPython.noop, elidable=False),
    ]
