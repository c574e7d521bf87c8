"""The one interface every sink implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from types import TracebackType

from pipeline.records import DocumentRecord, EventRecord, Rejection, RunReport


class Sink(ABC):
    """Receives processed documents, their events and rejections, in order.

    A sink is a context manager: ``open`` on enter, ``close`` on exit. ``write`` receives
    one document with all its events; a sink may buffer, but everything written before
    ``close`` (or ``flush``) returns must be durable.
    """

    def __enter__(self) -> Sink:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def open(self) -> None:  # noqa: B027 - optional hook
        """Acquire resources (files, connections)."""

    @abstractmethod
    def write(self, document: DocumentRecord, events: Iterable[EventRecord]) -> None:
        """Write one document and its event records."""

    @abstractmethod
    def write_rejection(self, rejection: Rejection) -> None:
        """Record one rejected input."""

    def write_report(self, report: RunReport) -> None:  # noqa: B027 - optional hook
        """Record the final run report (sinks that keep run history store it)."""

    def flush(self) -> None:  # noqa: B027 - optional hook
        """Make everything written so far durable."""

    def finish(self) -> None:  # noqa: B027 - optional hook
        """Mark the run complete (called before ``close``, never after an interruption or error).

        A sink drops here what only an unfinished run needs, such as a resume checkpoint.
        """

    def done_ids(self) -> set[str]:
        """Return the ids of documents already written (used by ``--resume``)."""
        return set()

    def close(self) -> None:  # noqa: B027 - optional hook
        """Flush and release resources."""
