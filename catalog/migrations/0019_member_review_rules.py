"""A member's review of whitespace alone is blank in the database too, as on the form.

The CHECK of 0018 took TRIM, which removes spaces only: a review of line breaks or tabs
passed it, though the form and review_save strip every kind of whitespace and refuse
it. The CHECK now trims each character str.strip() does (STRIPPED_WHITESPACE, spelt out
here as the model has it: a migration keeps the rule it added), with TrimCharacters
(SQLite's TRIM(X, Y), PostgreSQL's BTRIM), and wants something left.

Members' reviews already of whitespace alone would stop the new CHECK from being added.
They are deleted: they hold no word to keep, the film's page showed them as a name over
an empty box, and their author can write the review again. Imported reviews are not
members' (no user) and the rule does not bind them; none is changed.
"""

import catalog.models.reviews
from django.conf import settings
from django.db import migrations, models
from django.db.models import Value
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
    members = Review.objects.filter(user__isnull=False)
    members.alias(left=stripped_length()).filter(left=0).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0018_review_by_members'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(delete_blank_member_reviews, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='review',
            name='catalog_review_member_text_not_blank',
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.CheckConstraint(condition=models.Q(('user__isnull', True), GreaterThan(stripped_length(), 0), _connector='OR'), name='catalog_review_member_text_not_blank', violation_error_message='Write something in your review.'),
        ),
    ]
