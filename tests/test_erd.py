"""docs/erd.md is generated from the models and must be regenerated when they change."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from recommendations.management.commands.generate_erd import ERD_APPS, render_erd

COMMITTED = Path(settings.BASE_DIR) / "docs" / "erd.md"


def app_models():
    return [
        model
        for label in ERD_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy
    ]


def mermaid_block(text):
    return text.split("```mermaid\n", 1)[1].split("```", 1)[0]


def test_committed_erd_is_up_to_date():
    assert COMMITTED.read_text(encoding="utf-8") == render_erd(), (
        "docs/erd.md is out of date: run `python manage.py generate_erd`"
    )
    call_command("generate_erd", "--check")


def test_generation_is_deterministic():
    assert render_erd() == render_erd()


def test_writes_the_output_file(tmp_path):
    output = tmp_path / "docs" / "erd.md"
    call_command("generate_erd", "--output", str(output))
    assert output.read_text(encoding="utf-8") == render_erd()
    call_command("generate_erd", "--output", str(output), "--check")


def test_check_fails_on_a_stale_copy_and_writes_nothing(tmp_path):
    output = tmp_path / "erd.md"
    stale = render_erd().replace("catalog_movie {", "catalog_film {")
    output.write_text(stale, encoding="utf-8")
    with pytest.raises(CommandError, match="is out of date: run `python manage.py generate_erd"):
        call_command("generate_erd", "--output", str(output), "--check")
    assert output.read_text(encoding="utf-8") == stale


def test_check_fails_when_the_file_is_missing(tmp_path):
    output = tmp_path / "erd.md"
    with pytest.raises(CommandError, match="is missing"):
        call_command("generate_erd", "--output", str(output), "--check")
    assert not output.exists()


def test_diagram_names_every_model():
    diagram = mermaid_block(render_erd())
    for model in app_models():
        assert re.search(rf"^    {model._meta.db_table} \{{$", diagram, re.MULTILINE), model


def test_diagram_draws_every_relation():
    diagram = mermaid_block(render_erd())
    for model in app_models():
        relations = [f for f in model._meta.concrete_fields if f.is_relation]
        for field in relations + list(model._meta.local_many_to_many):
            child, parent = model._meta.db_table, field.related_model._meta.db_table
            line = rf'^    {child} \S+ {parent} : "{field.name}( \(via \w+\))?"$'
            assert re.search(line, diagram, re.MULTILINE), f"{model._meta.label}.{field.name}"


def test_cardinality_follows_nullability():
    diagram = mermaid_block(render_erd())
    # Media.movie is nullable: a media item has zero or one movie.
    assert 'feedback_media }o--o| catalog_movie : "movie"' in diagram
    # UserFeedback.media is required: every feedback row has exactly one media item.
    assert 'feedback_userfeedback }o--|| feedback_media : "media"' in diagram
    assert 'catalog_movie }o--o{ catalog_genre : "genres (via catalog_movie_genres)"' in diagram


def test_user_table_shows_only_its_key_columns():
    diagram = mermaid_block(render_erd())
    user_entity = re.search(r"^    auth_user \{\n(.*?)^    \}", diagram, re.MULTILINE | re.DOTALL)
    assert user_entity is not None
    columns = [line.split()[1] for line in user_entity.group(1).splitlines()]
    assert columns == ["id", "username"]


def test_constraints_table_lists_every_named_constraint():
    document = render_erd()
    for model in app_models():
        for constraint in model._meta.constraints:
            assert f"| {model._meta.label} | `{constraint.name}` |" in document


def test_constraint_conditions_are_rendered_as_text():
    document = render_erd()
    assert "`year IS NULL OR (year >= 1870 AND year <= 2100)`" in document
    assert "`(user_id, movie_id, source) WHERE rater_kind = 'user'`" in document
    assert "`(LOWER(name))`" in document


def test_invisible_characters_in_a_condition_are_written_as_escapes():
    """A line break or tab in a literal (the whitespace a member's review may not be made
    of) would split its row of the table, and a no-break space would hide."""
    document = render_erd()
    row = next(line for line in document.splitlines() if "member_text_not_blank" in line)
    assert "BTRIM(text, '\\t\\n\\x0b" in row
    assert "\\u3000')" in row
    assert all(char == " " or char.isprintable() for char in document.replace("\n", ""))
