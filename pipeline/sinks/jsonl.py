"""JSON Lines sink: events to a file or stdout, documents and rejections beside them.

Resumable runs: when ``dest`` is a file, every :meth:`JsonlSink.flush` commits a
checkpoint to ``DEST.checkpoint`` (JSON Lines): after the output files are flushed and
fsynced, one line records their byte sizes and the ids of the documents and rejections
written since the previous commit. ``JsonlSink(..., resume=True)`` reads the checkpoint,
truncates each output file to its last committed size (dropping a partial trailing line
and the events of documents that were never committed), appends from there, and reports
the committed documents through :meth:`JsonlSink.done_ids` so the runner skips them.

Beside a file ``DEST``, ``DEST.doc_events.jsonl`` receives the document events of each
document (:mod:`pipeline.events`: one record per real-world event, grouping its
mentions), written and checkpointed with the document.

When the run finishes (:meth:`JsonlSink.finish`, then ``close``), the checkpoint is
removed, and so are the rejects file when nothing was rejected and the document events
file when there were no events; an interrupted or failed run keeps them, for ``--resume``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from pipeline.errors import SinkError
from pipeline.events.merge import document_events
from pipeline.records import DocumentRecord, EventRecord, Rejection, RunReport, content_hash
from pipeline.sinks.base import Sink

#: Suffix of the checkpoint file written beside DEST.
CHECKPOINT_SUFFIX = ".checkpoint"
#: Suffixes of the event files written beside DEST: document events, and linked events (``newsevents link``).
DOC_EVENTS_SUFFIX = ".doc_events.jsonl"
LINKED_SUFFIX = ".linked.jsonl"
_CHECKPOINT_VERSION = 1


def rejection_id(rejection: Rejection) -> str:
    """Return the content-hash id of a rejection (input, stage, reason, detail), as the SQL sink does."""
    return content_hash(rejection.input.label(), rejection.stage, rejection.reason, rejection.detail)


def checkpoint_path(dest: str) -> Path:
    """Return the checkpoint file of the output ``dest``."""
    return Path(dest + CHECKPOINT_SUFFIX)


def doc_events_path(dest: str) -> str:
    """Return the document events file beside the mention output ``dest``."""
    return dest + DOC_EVENTS_SUFFIX


def linked_path(dest: str) -> str:
    """Return the linked events file beside the mention output ``dest``."""
    return dest + LINKED_SUFFIX


class JsonlSink(Sink):
    """Write event records as JSON Lines.

    Args:
        dest: a path, or ``-`` for stdout.
        documents: optional path for one document record per line.
        rejects: optional path for one rejection per line.
        resume: continue the run recorded in ``DEST.checkpoint`` instead of starting over.
        doc_events: path for the document events (default: ``DEST.doc_events.jsonl`` for a
            file ``DEST``, none for stdout).
    """

    def __init__(
        self,
        dest: str,
        documents: str | None = None,
        rejects: str | None = None,
        *,
        resume: bool = False,
        doc_events: str | None = None,
    ) -> None:
        self.dest = dest
        self.documents_path = documents
        self.rejects_path = rejects
        self.resume = resume
        self.doc_events_path = doc_events if doc_events is not None or dest == "-" else doc_events_path(dest)
        self._events: IO[str] | None = None
        self._doc_events: IO[str] | None = None
        self._documents: IO[str] | None = None
        self._rejects: IO[str] | None = None
        self._checkpoint: IO[str] | None = None
        self._done: set[str] = set()
        self._done_rejections: set[str] = set()
        self._pending_ids: list[str] = []
        self._pending_rejections: list[str] = []
        self._failed = False
        self._finished = False

    @staticmethod
    def _open_file(path: str, mode: str = "w") -> IO[str]:
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            return target.open(mode, encoding="utf-8")
        except OSError as e:
            raise SinkError(f"Cannot write {path}: {e.strerror}. Choose a writable output path.") from e

    def _paths(self) -> dict[str, str | None]:
        return {
            "events": self.dest,
            "documents": self.documents_path,
            "rejects": self.rejects_path,
            "doc_events": self.doc_events_path,
        }

    def _files(self) -> list[tuple[str, IO[str] | None]]:
        return [
            ("events", self._events),
            ("documents", self._documents),
            ("rejects", self._rejects),
            ("doc_events", self._doc_events),
        ]

    def open(self) -> None:
        """Open the output files (stdout for ``-``); with ``resume``, continue the committed run.

        Raises:
            SinkError: resuming to stdout, or from a checkpoint that does not match the outputs.
        """
        if self.dest == "-":
            if self.resume:
                raise SinkError("--resume needs a file output (-o FILE): stdout cannot be continued.")
            self._events = sys.stdout
            self._documents = self._open_file(self.documents_path) if self.documents_path else None
            self._rejects = self._open_file(self.rejects_path) if self.rejects_path else None
            self._doc_events = self._open_file(self.doc_events_path) if self.doc_events_path else None
            return
        sizes = self._load_checkpoint() if self.resume else None
        if sizes is None:
            self._done.clear()
            self._done_rejections.clear()
        mode = "a" if sizes is not None else "w"
        self._events = self._open_file(self.dest, mode)
        self._documents = self._open_file(self.documents_path, mode) if self.documents_path else None
        self._rejects = self._open_file(self.rejects_path, mode) if self.rejects_path else None
        self._doc_events = self._open_file(self.doc_events_path, mode) if self.doc_events_path else None
        self._checkpoint = self._open_file(str(checkpoint_path(self.dest)), mode)
        if sizes is None:
            header = {"version": _CHECKPOINT_VERSION, "paths": self._paths()}
            self._checkpoint.write(json.dumps(header) + "\n")
            self._commit_checkpoint_line()

    def _load_checkpoint(self) -> dict[str, int] | None:
        """Read the checkpoint and truncate the outputs to the committed sizes.

        Returns:
            The committed sizes, or None when there is nothing to resume (fresh start).
        """
        path = checkpoint_path(self.dest)
        if not path.exists():
            if Path(self.dest).exists() and Path(self.dest).stat().st_size > 0:
                raise SinkError(
                    f"Cannot resume: {self.dest} exists but has no checkpoint {path} (a run that finished "
                    "removes it: there is nothing left to resume). Run without --resume to start over (the file "
                    "is overwritten), or choose another output."
                )
            return None
        header: dict[str, Any] | None = None
        sizes: dict[str, int] = {}
        good_bytes = 0
        with path.open("rb") as fh:
            for raw in fh:
                if not raw.endswith(b"\n"):
                    break  # a partial last line: the commit it describes did not happen
                try:
                    entry = json.loads(raw)
                except json.JSONDecodeError:
                    break
                good_bytes += len(raw)
                if header is None:
                    header = entry
                    continue
                sizes = entry["sizes"]
                self._done.update(entry["ids"])
                self._done_rejections.update(entry["rejections"])
        if header is None:
            return None
        if header.get("version") != _CHECKPOINT_VERSION or header.get("paths") != self._paths():
            raise SinkError(
                f"Cannot resume: {path} was written by a run with other outputs ({header.get('paths')}). "
                "Resume with the same -o, --documents and --rejects, or run without --resume."
            )
        os.truncate(path, good_bytes)
        for name, target in self._paths().items():
            if target is None:
                continue
            size = sizes.get(name, 0)
            current = Path(target).stat().st_size if Path(target).exists() else 0
            if current < size:
                raise SinkError(
                    f"Cannot resume: {target} is shorter ({current} bytes) than its checkpoint says ({size}); "
                    "it was changed after the run. Run without --resume to start over."
                )
            if current > size:
                os.truncate(target, size)
        return sizes

    def _write_line(self, fh: IO[str] | None, line: str) -> None:
        if fh is None:
            raise SinkError("JsonlSink.write called before open(); use the sink as a context manager.")
        if self._failed:
            raise SinkError(f"Writing {self.dest} failed earlier; nothing more is written. Rerun with --resume.")
        try:
            fh.write(line + "\n")
        except OSError as e:
            raise self._write_failed(getattr(fh, "name", self.dest), e) from e

    def _write_failed(self, name: str, error: OSError) -> SinkError:
        """Stop writing after an I/O error (disk full, file too large) and say how to continue."""
        self._failed = True
        resume = "" if self._checkpoint is None else " and rerun the same command with --resume to continue"
        return SinkError(
            f"Writing {name} failed: {error.strerror or error} (disk full or over a file size limit?). "
            f"The output is valid up to its last checkpoint; free space{resume}."
        )

    def write(self, document: DocumentRecord, events: Iterable[EventRecord]) -> None:
        """Write the events of one document, its document events, and the document record if asked."""
        records = list(events)
        for record in records:
            self._write_line(self._events, record.model_dump_json())
        if self._doc_events is not None:
            for doc_event in document_events(records, document):
                self._write_line(self._doc_events, doc_event.model_dump_json())
        if self._documents is not None:
            self._write_line(self._documents, document.model_dump_json())
        self._pending_ids.append(document.id)

    def write_rejection(self, rejection: Rejection) -> None:
        """Write one rejection line when a rejects file is configured (once, across resumed runs)."""
        key = rejection_id(rejection)
        if key in self._done_rejections:
            return
        if self._rejects is not None:
            self._write_line(self._rejects, rejection.model_dump_json())
        self._pending_rejections.append(key)

    def write_report(self, report: RunReport) -> None:
        """JSONL keeps no run history; the runner prints and optionally saves the report."""

    def done_ids(self) -> set[str]:
        """Return the ids of the documents committed by the run being resumed (empty otherwise)."""
        return set(self._done)

    def flush(self) -> None:
        """Make everything written so far durable and commit a checkpoint (file outputs).

        Raises:
            SinkError: a file cannot be written (disk full, file too large): no checkpoint
                is committed, so ``--resume`` continues from the previous one.
        """
        if self._failed:
            return
        try:
            self._flush()
        except OSError as e:
            raise self._write_failed(self.dest, e) from e

    def _flush(self) -> None:
        files = [fh for _, fh in self._files() if fh is not None]
        for fh in files:
            fh.flush()
        if self._checkpoint is None or not (self._pending_ids or self._pending_rejections):
            return
        for fh in files:
            os.fsync(fh.fileno())
        sizes = {name: os.fstat(fh.fileno()).st_size for name, fh in self._files() if fh is not None}
        entry = {"sizes": sizes, "ids": self._pending_ids, "rejections": self._pending_rejections}
        self._checkpoint.write(json.dumps(entry) + "\n")
        self._commit_checkpoint_line()
        # The done sets only describe the run being resumed: they do not grow during a run.
        self._pending_ids = []
        self._pending_rejections = []

    def _commit_checkpoint_line(self) -> None:
        if self._checkpoint is not None:
            self._checkpoint.flush()
            os.fsync(self._checkpoint.fileno())

    def finish(self) -> None:
        """Mark the run complete: ``close`` then removes the checkpoint and an empty rejects file."""
        self._finished = True

    def close(self) -> None:
        """Flush, commit and close the files (never stdout); after a write error, only close them.

        After :meth:`finish`, the checkpoint (nothing is left to resume) and an empty rejects
        file are removed.
        """
        try:
            self.flush()
        finally:
            for fh in [*(fh for _, fh in self._files()), self._checkpoint]:
                if fh is not None and fh is not sys.stdout:
                    self._close_file(fh)
            self._events = self._documents = self._rejects = self._doc_events = self._checkpoint = None
        if self._finished and not self._failed:
            self._remove_leftovers()

    def _remove_leftovers(self) -> None:
        leftovers = [] if self.dest == "-" else [checkpoint_path(self.dest)]
        for optional in (self.rejects_path, self.doc_events_path):
            if optional is not None and optional != "-":
                path = Path(optional)
                if path.is_file() and path.stat().st_size == 0:
                    leftovers.append(path)
        for path in leftovers:
            try:
                path.unlink(missing_ok=True)
            except OSError as e:
                raise SinkError(f"Cannot remove {path} after the run: {e.strerror}. Remove it by hand.") from e

    def _close_file(self, fh: IO[str]) -> None:
        if not self._failed:
            fh.close()
            return
        # Its buffer cannot be written (that is the error being reported); the file is
        # still valid up to the last checkpoint, which --resume truncates it to.
        with contextlib.suppress(OSError):
            fh.close()
