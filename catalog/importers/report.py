"""What an import did, row by row and kind by kind, and the errors that stop one."""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import transaction

from backups.stopping import stopping_signals_deferred

# A file with a million bad lines must not hold a million messages in memory: the
# command prints every rejection as it happens, the report keeps the first ones.
KEPT_REJECTIONS = 1000


def quoted(value) -> str:
    """A value of the file, quoted for a rejection's reason, cut if it is long: a field
    of 5,000 digits would otherwise be the whole message."""
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:37]!r}..."
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


class ImportFormatError(Exception):
    """The file is not what the import reads (wrong header, not JSON, binary...)."""


class StrictStop(Exception):
    """--strict: the first rejected row ends the import."""

    def __init__(self, rejection: "Rejection"):
        super().__init__(str(rejection))
        self.rejection = rejection


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int
    reason: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.reason}"


class HeldRejections:
    """Stands in for the report while a batch is checked: its rejections are kept, then
    released to the report in the file's order once the batch's last check is done."""

    def __init__(self, report: "ImportReport"):
        self.report = report
        self.rejections: list[tuple[int, str, str, str]] = []

    def reject(self, kind: str, file: str, line: int, reason: str) -> None:
        self.rejections.append((line, kind, file, reason))

    def release(self) -> None:
        held, self.rejections = sorted(self.rejections), []
        for line, kind, file, reason in held:
            self.report.reject(kind, file, line, reason)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0
    removed: int = 0  # rows the file no longer gives (a franchise link, a TMDB vote count)

    def __str__(self):
        removed = f", {self.removed} removed" if self.removed else ""
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.skipped} skipped, {self.rejected} rejected{removed}"
        )


# What the recommendation engine learns from (recommendations.services.similarities_build).
RELEARN_AFTER = ("movies", "ratings")


@dataclass
class ImportReport:
    """Counts per kind of row ("movies", "ratings"...), in the order the import named
    them (`reading`) or first met them.

    `skipped` rows were already in Marquee exactly as the file has them (or repeated a
    line of the file); `rejected` rows were refused, each with its reason.
    """

    strict: bool = False
    on_reject: Callable[[Rejection], None] | None = None
    counts: dict[str, Counts] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    rejected_total: int = 0
    notes: list[str] = field(default_factory=list)
    # Set when the import read the whole file: a run that stopped early (--strict,
    # Ctrl-C, the database refusing) did not find every row already there.
    finished: bool = False

    def __getitem__(self, kind: str) -> Counts:
        return self.counts.setdefault(kind, Counts())

    def reading(self, *kinds: str) -> None:
        """The kinds of row the import reads, before it meets any, in the summary's order.

        Otherwise a kind is listed once a row of it is counted, most often when its first
        batch is written: a run stopped before that (--strict at a bad row of the first
        batch, Ctrl-C) had a summary short of it, or none at all, though its error points
        at the summary for what was imported.
        """
        for kind in kinds:
            self.counts.setdefault(kind, Counts())

    def reject(self, kind: str, file: str, line: int, reason: str) -> None:
        rejection = Rejection(file, line, reason)
        if self.strict:
            raise StrictStop(rejection)
        self[kind].rejected += 1
        self.rejected_total += 1
        if len(self.rejections) < KEPT_REJECTIONS:
            self.rejections.append(rejection)
        if self.on_reject:
            self.on_reject(rejection)

    @contextlib.contextmanager
    def batch_transaction(self):
        """A batch's transaction, with what its body counts: both stand, or neither.

        A batch rolled back (the database refused it, Ctrl-C) wrote nothing, and the
        summary must not say otherwise: its counts go back to what they were. Its rejected
        rows stay counted: they were refused as the file was read, and said so.

        SIGINT and SIGTERM wait while it commits (stopping_signals_deferred): one that came
        between the commit and the counting (when the counts were added after the
        transaction) left a batch written and not counted, and the summary after a Ctrl-C
        said 20,000 ratings fewer than the database gained. One that comes then stops the
        import as the batch is done.
        """
        before = {kind: replace(counts) for kind, counts in self.counts.items()}
        # Acted on outside the try: a signal that came as the batch committed must not take
        # back its counts.
        with contextlib.ExitStack() as held:
            try:
                with transaction.atomic():
                    yield
                    held.enter_context(stopping_signals_deferred())
            except BaseException:
                for kind, counts in self.counts.items():
                    kept = before.get(kind, Counts())
                    counts.created, counts.updated = kept.created, kept.updated
                    counts.skipped, counts.removed = kept.skipped, kept.removed
                raise

    @property
    def changed(self) -> bool:
        return self.changed_kinds(*self.counts)

    def changed_kinds(self, *kinds: str) -> bool:
        return any(
            counts.created or counts.updated or counts.removed
            for kind, counts in self.counts.items()
            if kind in kinds
        )

    def summary_lines(self) -> list[str]:
        lines = [f"{kind}: {counts}" for kind, counts in self.counts.items()]
        lines.extend(self.notes)
        if self.finished and not self.changed:
            lines.append("Nothing changed: every row was already in Marquee or was rejected.")
        # The engine's neighbours and priors are learnt whole, not kept up row by row:
        # until then a new film is suggested on its popularity alone, and new ratings
        # change nothing.
        if self.changed_kinds(*RELEARN_AFTER):
            lines.append(
                "Recommendations learn from these films and ratings once "
                "manage.py build_similarities has run again."
            )
        return lines
