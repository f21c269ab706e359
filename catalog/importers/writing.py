"""Syncing rows against what is there: insert the missing, update only the changed.

Every write is keyed on the row's identity, so rows already written are found and left
alone, and running the same data again changes nothing. The importers sync in batches,
each batch its own transaction, so that one that fails or is interrupted leaves only whole
batches behind and running it again completes the rest; the demo loader syncs its whole
file in one transaction.
"""

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from itertools import batched

from django.db import models
from django.db.models.fields.related_descriptors import ManyToManyDescriptor
from django.utils import timezone


@dataclass
class Synced:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0  # only sync_links deletes


def sync_rows(
    *,
    model: type[models.Model],
    wanted: dict[Hashable, models.Model],
    existing: Iterable[models.Model],
    key: Callable[[models.Model], Hashable],
    fields: list[str],
    stamp: str | None = None,
) -> Synced:
    """Make the unsaved `wanted` rows (by key) exist: insert the missing, update the changed.

    One query reads `existing` (the caller narrows it to the batch), one inserts and one
    updates, whatever the batch's size. `stamp` is an auto_now field to move on for the
    updated rows, which bulk_update does not do by itself.
    """
    result = Synced()
    current = {key(row): row for row in existing}
    attnames = [model._meta.get_field(name).attname for name in fields]
    to_create, to_update = [], []
    now = timezone.now()
    for identity, obj in wanted.items():
        row = current.get(identity)
        if row is None:
            to_create.append(obj)
        elif any(getattr(row, name) != getattr(obj, name) for name in attnames):
            for name in attnames:
                setattr(row, name, getattr(obj, name))
            if stamp:
                setattr(row, stamp, now)
            to_update.append(row)
        else:
            result.unchanged += 1
    model._default_manager.bulk_create(to_create)
    if to_update:
        model._default_manager.bulk_update(to_update, [*fields, stamp] if stamp else fields)
    result.created, result.updated = len(to_create), len(to_update)
    return result


def sync_links(*, relation: ManyToManyDescriptor, wanted: dict[int, set[int]]) -> Synced:
    """Make each owner's many-to-many links exactly `wanted` ({owner pk: target pks}).

    `relation` is the forward descriptor (`Movie.genres`). The missing links are inserted
    and the owners' other links deleted; owners not in `wanted` are not looked at. One
    query reads the links, one inserts and one deletes.
    """
    Link = relation.through
    owner = Link._meta.get_field(relation.field.m2m_field_name()).attname
    target = Link._meta.get_field(relation.field.m2m_reverse_field_name()).attname
    links = {(pk, target_pk) for pk, target_pks in wanted.items() for target_pk in target_pks}
    current = {
        (pk, target_pk): link_pk
        for link_pk, pk, target_pk in Link._default_manager.filter(
            **{f"{owner}__in": wanted}
        ).values_list("pk", owner, target)
    }
    missing = sorted(links - current.keys())
    extra = [link_pk for link, link_pk in current.items() if link not in links]
    Link._default_manager.bulk_create(
        [Link(**{owner: pk, target: target_pk}) for pk, target_pk in missing]
    )
    if extra:
        Link._default_manager.filter(pk__in=extra).delete()
    return Synced(created=len(missing), unchanged=len(current) - len(extra), deleted=len(extra))


# SQLite refuses a query with more than 32,766 parameters.
IN_LIST_SIZE = 5000


def by_raters(queryset, rater_ids: set[str]) -> Iterator:
    """The rows of `queryset` (instances, or tuples from values_list) for these external
    raters, a few thousand ids a query."""
    for chunk in batched(sorted(rater_ids), IN_LIST_SIZE):
        yield from queryset.filter(external_rater_id__in=chunk)
