"""One exception tree; every message says what happened and what to do."""

from __future__ import annotations


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
