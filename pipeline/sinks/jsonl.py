"""JSON Lines sink: events to a file or stdout, documents and rejections beside them."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from pipeline.errors import SinkError
from pipeline.records import DocumentRecord, EventRecord, Rejection, RunReport
from pipeline.sinks.base import Sink


class JsonlSink(Sink):
    """Write event records as JSON Lines.

    Args:
        dest: a path, or ``-`` for stdout.
        documents: optional path for one document record per line.
        rejects: optional path for one rejection per line.
    """

    def __init__(self, dest: str, documents: str | None = None, rejects: str | None = None) -> None:
        self.dest = dest
        self.documents_path = documents
        self.rejects_path = rejects
        self._events: IO[str] | None = None
        self._documents: IO[str] | None = None
        self._rejects: IO[str] | None = None

    @staticmethod
    def _open_file(path: str) -> IO[str]:
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            return target.open("w", encoding="utf-8")
        except OSError as e:
            raise SinkError(f"Cannot write {path}: {e.strerror}. Choose a writable output path.") from e

    def open(self) -> None:
        """Open the output files (stdout for ``-``)."""
        self._events = sys.stdout if self.dest == "-" else self._open_file(self.dest)
        if self.documents_path:
            self._documents = self._open_file(self.documents_path)
        if self.rejects_path:
            self._rejects = self._open_file(self.rejects_path)

    def _write_line(self, fh: IO[str] | None, line: str) -> None:
        if fh is None:
            raise SinkError("JsonlSink.write called before open(); use the sink as a context manager.")
        try:
            fh.write(line + "\n")
        except OSError as e:
            raise SinkError(f"Writing {getattr(fh, 'name', self.dest)} failed: {e.strerror}.") from e

    def write(self, document: DocumentRecord, events: Iterable[EventRecord]) -> None:
        """Write the events of one document, and the document record if asked."""
        for record in events:
            self._write_line(self._events, record.model_dump_json())
        if self._documents is not None:
            self._write_line(self._documents, document.model_dump_json())

    def write_rejection(self, rejection: Rejection) -> None:
        """Write one rejection line when a rejects file is configured."""
        if self._rejects is not None:
            self._write_line(self._rejects, rejection.model_dump_json())

    def write_report(self, report: RunReport) -> None:
        """JSONL keeps no run history; the runner prints and optionally saves the report."""

    def flush(self) -> None:
        """Flush every open file."""
        for fh in (self._events, self._documents, self._rejects):
            if fh is not None:
                fh.flush()

    def close(self) -> None:
        """Flush and close the files (never stdout)."""
        self.flush()
        for fh in (self._events, self._documents, self._rejects):
            if fh is not None and fh is not sys.stdout:
                fh.close()
        self._events = self._documents = self._rejects = None
