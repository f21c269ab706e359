"""A member's review of whitespace alone is blank in the database too, as on the form;
and no review is edited before it was posted.

The CHECK of 0018 took TRIM, which removes spaces only: a review of line breaks or tabs
passed it, though the form and review_save strip every kind of whitespace and refuse
it. The CHECK now trims each character str.strip() does (STRIPPED_WHITESPACE, spelt out
here as the model has it: a migration keeps the rule it added), with TrimCharacters
(SQLite's TRIM(X, Y), PostgreSQL's BTRIM), and wants something left.

Members' reviews already of whitespace alone would stop the new CHECK from being added.
They are deleted: they hold no word to keep, the film's page showed them as a name over
an empty box, and their author can write the review again. Imported reviews are not
members' (no user) and the rule does not bind them; none is changed.

A review's edited_at had no rule: an export's import took a review edited before it was
posted. The CHECK holds edited_at to posted_at (not created_at: a restored review keeps
its dates, and its row is newer than both); one without a posting date has no bound.
Reviews already edited before their posting are kept, edited at their posting: the date
is wrong but the text was edited, and "edited" on the film's page still says so, where
NULL (never edited) would hide it; the posting date passed its own checks (1888, 2200),
the edit date none.
"""

import catalog.bounds
import catalog.models.reviews
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Value
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan

STRIPPED_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def stripped_length():
    return Length(catalog.models.reviews.TrimCharacters("text", Value(STRIPPED_WHITESPACE)))


def delete_blank_member_reviews(apps, schema_editor):
    Review = apps.get_model("catalog", "Review")
    members = Review.objects.using(schema_editor.connection.alias).filter(user__isnull=False)
    members.alias(left=stripped_length()).filter(left=0).delete()


def date_early_edits_at_their_posting(apps, schema_editor):
    Review = apps.get_model("catalog", "Review")
    reviews = Review.objects.using(schema_editor.connection.alias)
    reviews.filter(edited_at__lt=F("posted_at")).update(edited_at=F("posted_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0018_review_by_members'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(delete_blank_member_reviews, migrations.RunPython.noop),
        migrations.RunPython(date_early_edits_at_their_posting, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='review',
            name='catalog_review_member_text_not_blank',
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.CheckConstraint(condition=models.Q(('user__isnull', True), GreaterThan(stripped_length(), 0), _connector='OR'), name='catalog_review_member_text_not_blank', violation_error_message='Write something in your review.'),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=catalog.bounds.CheckedByValidation(condition=models.Q(('edited_at__isnull', True), ('posted_at__isnull', True), ('edited_at__gte', models.F('posted_at')), _connector='OR'), name='catalog_review_edited_after_posted', violation_error_message='A review cannot be edited before it was posted.'),
        ),
    ]
