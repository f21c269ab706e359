"""Typed reads of one JSON object of the demo file; every error names its record."""

from collections.abc import Hashable, Iterator
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models


class InvalidDemoData(Exception):
    """Something wrong with the file's contents; reported as a one-line CommandError."""


class Record:
    """One JSON object of the file, read field by field with typed getters.

    `where` ("ratings[12]") prefixes every error, and `done()` rejects keys nobody read, so
    that a misspelt field fails loudly instead of being silently ignored.
    """

    def __init__(self, value, where: str):
        if not isinstance(value, dict):
            raise InvalidDemoData(f"{where} should be an object")
        self.value, self.where, self.read = value, where, set()

    def _get(self, name: str, types: tuple, what: str, required: bool):
        self.read.add(name)
        value = self.value.get(name)
        if value is None:
            if required:
                raise InvalidDemoData(f"{self.where}: '{name}' is missing")
            return None
        # bool is an int to Python, but true is not a TMDB id.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise InvalidDemoData(f"{self.where}: '{name}' should be {what}")
        return value

    def text(self, name: str, required: bool = True) -> str:
        return self._get(name, (str,), "a string", required) or ""

    def integer(self, name: str, required: bool = True) -> int | None:
        return self._get(name, (int,), "a whole number", required)

    def number(self, name: str, required: bool = True) -> float | None:
        value = self._get(name, (int, float), "a number", required)
        return None if value is None else float(value)

    def boolean(self, name: str) -> bool | None:
        return self._get(name, (bool,), "true or false", required=False)

    def items(self, name: str) -> list:
        return self._get(name, (list,), "a list", required=False) or []

    def day(self, name: str, required: bool = True) -> date | None:
        value = self._get(name, (str,), "a date", required)
        try:
            return None if value is None else date.fromisoformat(value)
        except ValueError:
            raise InvalidDemoData(f"{self.where}: '{name}' should be a YYYY-MM-DD date") from None

    def moment(self, name: str, required: bool = True) -> datetime | None:
        value = self._get(name, (str,), "a datetime", required)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        # A naive time would be read in whatever TIME_ZONE the server has: ambiguous.
        if moment is None or moment.tzinfo is None:
            raise InvalidDemoData(
                f"{self.where}: '{name}' should be an ISO datetime with a time zone"
            )
        return moment

    def done(self) -> None:
        unknown = sorted(set(self.value) - self.read)
        if unknown:
            raise InvalidDemoData(f"{self.where}: unknown field '{unknown[0]}'")

    def fail(self, reason: str):
        raise InvalidDemoData(f"{self.where}: {reason}")


def records(data: dict, section: str) -> Iterator[Record]:
    value = data.get(section, [])
    if not isinstance(value, list):
        raise InvalidDemoData(f"'{section}' should be a list")
    for index, item in enumerate(value):
        yield Record(item, f"{section}[{index}]")


def check_fields(instance: models.Model, record: Record, exclude=()) -> None:
    """The model's own field rules (choices, ranges, lengths, the IMDb pattern), no queries.

    Foreign keys are excluded: they are resolved later, and validating them would query.
    """
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        record.fail(f"{name}: {messages[0]}")


class Identities:
    """The identities met so far in one list of the file, to refuse a row given twice.

    Checked while reading, so that the error names the record and comes before any write.
    They are the file's own (TMDB ids, media ids), one for one with the keys the loader
    syncs on once primary keys are known.
    """

    def __init__(self, noun: str):
        self.noun, self.seen = noun, set()

    def add(self, record: Record, identity: Hashable) -> None:
        if identity in self.seen:
            shown = ", ".join(map(str, identity)) if isinstance(identity, tuple) else identity
            record.fail(f"{self.noun} ({shown}) appears twice in the file")
        self.seen.add(identity)

    def __contains__(self, identity: Hashable) -> bool:
        return identity in self.seen
