"""Write docs/erd.md: a Mermaid entity-relationship diagram of Marquee's tables.

The diagram is built from the installed models through Django's meta API, never by hand,
so it cannot drift from the schema unnoticed: `--check` (run by the test suite) fails as
soon as a model changes and the committed file has not been regenerated.

Everything is rendered without a database connection, so the output is the same whether
the project runs on SQLite or PostgreSQL, and everything is sorted, so it is the same on
every run.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from recommendations.management.constraint_text import constraint_rows

ERD_APPS = ("catalog", "feedback", "recommendations")
REGENERATE = "python manage.py generate_erd"

# A foreign key column holds the target's value, not an auto-increment: show the plain
# integer type, as the column is declared in the database.
AUTO_FIELD_COLUMN_TYPES = {
    "AutoField": "IntegerField",
    "BigAutoField": "BigIntegerField",
    "SmallAutoField": "SmallIntegerField",
}


def default_output() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "erd.md"


def display_path(path: Path) -> str:
    """The path as a reader of the repository would type it."""
    try:
        return path.resolve().relative_to(Path(settings.BASE_DIR).resolve()).as_posix()
    except ValueError:
        return str(path)


# --- Models -------------------------------------------------------------------------


def diagram_models() -> list[type[models.Model]]:
    """Every model with a table of its own in the diagrammed apps, by table name."""
    found = [
        model
        for label in ERD_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy
    ]
    return sorted(found, key=lambda model: model._meta.db_table)


def referenced_models(diagrammed: list[type[models.Model]]) -> list[type[models.Model]]:
    """Models outside the diagrammed apps that their relations point at (the user model).

    They are drawn with their key columns only: the diagram is about Marquee's tables,
    and the rest of auth's schema would only crowd it.
    """
    inside = set(diagrammed)
    outside = {
        field.related_model
        for model in diagrammed
        for field in relation_fields(model)
        if field.related_model not in inside
    }
    return sorted(outside, key=lambda model: model._meta.db_table)


def relation_fields(model: type[models.Model]) -> list[models.Field]:
    forward = [field for field in model._meta.concrete_fields if field.is_relation]
    return forward + list(model._meta.local_many_to_many)


def entity_name(model: type[models.Model]) -> str:
    return model._meta.db_table


# --- Entities -----------------------------------------------------------------------


def render_entity(model: type[models.Model], *, keys_only: bool = False) -> list[str]:
    fields = model._meta.concrete_fields
    if keys_only:
        fields = [field for field in fields if field.primary_key or field.unique]
    lines = [f"    {entity_name(model)} {{"]
    lines += [f"        {render_attribute(field)}" for field in fields]
    lines.append("    }")
    return lines


def render_attribute(field: models.Field) -> str:
    keys = ", ".join(attribute_keys(field))
    parts = [column_type(field), field.column, keys, f'"{attribute_comment(field)}"']
    return " ".join(part for part in parts if part)


def attribute_keys(field: models.Field) -> list[str]:
    keys = []
    if field.primary_key:
        keys.append("PK")
    if field.is_relation:
        keys.append("FK")
    # A primary key is unique by definition; UK marks the other single-column uniques.
    if field.unique and not field.primary_key:
        keys.append("UK")
    return keys


def column_type(field: models.Field) -> str:
    """The Django field type of the column, with its length where it has one."""
    if field.is_relation:
        field = field.target_field
        kind = AUTO_FIELD_COLUMN_TYPES.get(field.get_internal_type(), field.get_internal_type())
    else:
        kind = field.get_internal_type()
    # Only character columns declare their length; UUIDField's internal max_length is not.
    if isinstance(field, models.CharField) and field.max_length:
        kind = f"{kind}({field.max_length})"
    return kind


def attribute_comment(field: models.Field) -> str:
    comment = "nullable" if field.null else "not null"
    if field.is_relation:
        comment += f"; on delete {field.remote_field.on_delete.__name__}"
    # Mermaid comments cannot contain double quotes.
    return comment.replace('"', "'")


# --- Relationships ------------------------------------------------------------------


def render_relationships(diagrammed: list[type[models.Model]]) -> list[str]:
    lines = []
    for model in diagrammed:
        for field in relation_fields(model):
            if field.many_to_many:
                lines.append(many_to_many_line(model, field))
            else:
                lines.append(foreign_key_line(model, field))
    return sorted(line for line in lines if line)


def foreign_key_line(model: type[models.Model], field: models.Field) -> str:
    """`child }o--|| parent : "field"`, read as "a child row has its <field>".

    The child end is "zero or one" when the column is unique (one-to-one), otherwise
    "zero or more"; the parent end is "zero or one" when the column accepts NULL.
    """
    child_end = "|o" if field.unique else "}o"
    parent_end = "o|" if field.null else "||"
    target = entity_name(field.related_model)
    return f'    {entity_name(model)} {child_end}--{parent_end} {target} : "{field.name}"'


def many_to_many_line(model: type[models.Model], field: models.ManyToManyField) -> str:
    """An automatic join table is drawn as the many-to-many it implements.

    A custom `through` model is one of the diagrammed models, with foreign keys of its
    own, so drawing the many-to-many as well would show the same link twice.
    """
    through = field.remote_field.through
    if not through._meta.auto_created:
        return ""
    target = entity_name(field.related_model)
    label = f"{field.name} (via {through._meta.db_table})"
    return f'    {entity_name(model)} }}o--o{{ {target} : "{label}"'


# --- Document -----------------------------------------------------------------------

HEADER = f"""\
# Entity-relationship diagram

<!-- Generated by `{REGENERATE}`. Do not edit by hand. -->

Generated by `{REGENERATE}` from the models of the catalog, feedback and
recommendations apps; do not edit this file by hand. Regenerate it after changing a
model: the test suite runs `{REGENERATE} --check`, which fails while
this file is out of date.

Entities are database tables and attributes are their columns, typed with the Django
field type. Each attribute's comment says whether the column accepts NULL and, for a
foreign key, what deleting the referenced row does. Tables outside these apps that
Marquee's rows point at (the user table) show only their key columns. A relationship is
labelled with the field that holds it; `}}o--||` reads "many rows of the left table refer
to exactly one row of the right table", and `o|` marks a nullable reference.
"""

DELETION = """\
## What deleting a row does

Each foreign key's comment above says what deleting the row it points at does. The rule
(STYLE practice 3): CASCADE for rows that belong to the row deleted, PROTECT where the
deletion would lose what people said, SET_NULL for rows that must outlive what they
point at.

- Deleting a **film** deletes what the catalog holds about it (its ratings, reviews,
  tags, relationships, rating stats, neighbours and prior) and unlinks its media items:
  `feedback_media.movie_id` becomes NULL, as for an episode or any item not matched to a
  film. The items stay, under their own titles, with every person's feedback and viewings
  on them and the recommendation log entries that named them, so nothing a person said
  is lost and the log outlives the film. People's Marquee ratings of the film go with
  it: they are catalog rows derived from that feedback, whose stars stay. Their
  watchlist entries of it go as well, and their "not interested" in it: no film is left
  there to watch or to turn down.
- Deleting a **media item** is refused while feedback, viewings or recommendation log
  entries point at it (PROTECT): they would be lost with it.
- Deleting a **person** deletes everything of theirs; their searches stay, anonymous.
"""

CONSTRAINTS_INTRO = """\
## Constraints

The named CHECK and UNIQUE constraints from each model's `Meta.constraints`, as enforced
by the database. Single-column uniqueness (`unique=True`) is marked `UK` in the diagram.
"""


def render_diagram(diagrammed: list[type[models.Model]]) -> list[str]:
    lines = ["```mermaid", "erDiagram"]
    for model in referenced_models(diagrammed):
        lines += render_entity(model, keys_only=True)
    for model in diagrammed:
        lines += render_entity(model)
    lines += render_relationships(diagrammed)
    lines.append("```")
    return lines


def markdown_cell(text: str) -> str:
    # A pipe would end the table cell, even inside backticks.
    return text.replace("|", "\\|")


def render_constraints(diagrammed: list[type[models.Model]]) -> list[str]:
    lines = ["| Model | Constraint | Kind | Condition |", "| --- | --- | --- | --- |"]
    for label, name, kind, definition in constraint_rows(diagrammed):
        cell = f"`{markdown_cell(definition)}`" if definition else ""
        lines.append(f"| {label} | `{name}` | {kind} | {cell} |")
    return lines


def render_erd() -> str:
    """The whole of docs/erd.md, as the current models describe it."""
    diagrammed = diagram_models()
    lines = [HEADER, *render_diagram(diagrammed), "", DELETION, CONSTRAINTS_INTRO]
    lines += render_constraints(diagrammed)
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Write the Mermaid entity-relationship diagram of Marquee's models to docs/erd.md."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the diagram (default: docs/erd.md in the project).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the file differs from what would be generated.",
        )

    def handle(self, *args, output=None, check=False, **options):
        path = output or default_output()
        expected = render_erd()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if check:
            self.verify(path, current, expected, custom_output=output is not None)
        elif current == expected:
            self.stdout.write(f"{display_path(path)} is already up to date.")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Fixed newlines, so the file compares equal on every platform.
            path.write_text(expected, encoding="utf-8", newline="\n")
            self.stdout.write(self.style.SUCCESS(f"Wrote {display_path(path)}."))

    def verify(self, path: Path, current, expected: str, *, custom_output: bool):
        if current == expected:
            self.stdout.write(f"{display_path(path)} is up to date.")
            return
        command = f"{REGENERATE} --output {path}" if custom_output else REGENERATE
        state = "is missing" if current is None else "is out of date"
        raise CommandError(f"{display_path(path)} {state}: run `{command}`")
