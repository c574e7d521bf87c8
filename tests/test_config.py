"""config.yaml validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.config import Config, load_config, parse_config
from pipeline.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_config_equals_defaults() -> None:
    assert load_config(ROOT / "config.yaml") == Config()


def test_unknown_keys_are_named_with_their_path() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"nlp": {"modle": "x"}, "extra": 1})
    assert "nlp.modle: unknown key" in str(err.value)
    assert "extra: unknown key" in str(err.value)


def test_bad_values_are_reported() -> None:
    with pytest.raises(ConfigError, match=r"nlp\.batch_size"):
        parse_config({"nlp": {"batch_size": 0}})


def test_python_tags_are_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("nlp: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--config"):
        load_config(tmp_path / "nope.yaml")


def test_empty_file_is_all_defaults(tmp_path: Path) -> None:
    empty = tmp_path / "c.yaml"
    empty.write_text("")
    assert load_config(empty) == Config()


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(ConfigError, match="mapping"):
        parse_config(yaml.safe_load("- a\n- b\n"))
