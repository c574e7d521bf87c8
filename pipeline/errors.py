"""One exception tree; every message says what happened and what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.records import RunReport


class PipelineError(Exception):
    """Base of every error the pipeline raises on purpose."""

    exit_code = 1


class ConfigError(PipelineError):
    """config.yaml (or an option) is invalid."""

    exit_code = 2


class InputError(PipelineError):
    """An input path cannot be used at all (not one bad article: those are rejections)."""

    exit_code = 3


class ModelError(PipelineError):
    """A model cannot be loaded."""

    exit_code = 4


class SinkError(PipelineError):
    """An output cannot be written."""

    exit_code = 5


class DatabaseError(SinkError):
    """An output database cannot be used: unreachable, refused, wrong schema, or lost mid-run."""

    exit_code = 8


class GoldError(PipelineError):
    """A gold or prediction file is malformed."""

    exit_code = 6


class RunInterrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C (SIGINT) after its outputs were flushed and its report written.

    A ``KeyboardInterrupt``, so whatever stops on Ctrl-C still stops; the command line
    reads :attr:`report` to print the summary so far and how to resume.

    Args:
        report: the run report, with ``interrupted`` set.
    """

    def __init__(self, report: RunReport) -> None:
        super().__init__("interrupted")
        self.report = report
