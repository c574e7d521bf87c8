"""The accuracy gate: flat scores, a digest of the gold data, and checking or pinning floors."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError, InputError
from pipeline.evaluation.results import LEVELS, MODES, Evaluation

DEFAULT_TOLERANCE = 0.005
FLOORS_VERSION = 1


def flat_scores(ev: Evaluation) -> dict[str, float]:
    """Return the gated scores as a flat mapping, e.g. ``exact.trigger_classification.f1``.

    Accuracies that scored nothing are left out.
    """
    out: dict[str, float] = {}
    for mode in MODES:
        ms = ev.modes[mode]
        for level in LEVELS:
            c = ms.levels[level]
            out[f"{mode}.{level}.precision"] = round(c.precision, 4)
            out[f"{mode}.{level}.recall"] = round(c.recall, 4)
            out[f"{mode}.{level}.f1"] = round(c.f1, 4)
        for name, acc in ms.attributes.items():
            if acc.value is not None:
                out[f"{mode}.{name}.accuracy"] = round(acc.value, 4)
        macro = ms.modality_f1().get("macro")
        if macro is not None:
            out[f"{mode}.modality_non_asserted.macro_f1"] = round(macro, 4)
    out["record.precision"] = round(ev.record.precision, 4)
    out["record.recall"] = round(ev.record.recall, 4)
    out["record.f1"] = round(ev.record.f1, 4)
    return out


def gold_digest(paths: Sequence[Path]) -> str:
    """Return a SHA-256 digest of the gold files' contents (independent of paths and order)."""
    digests = []
    for path in paths:
        try:
            digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError as e:
            raise InputError(f"Cannot read {path}: {e.strerror}.") from e
    return hashlib.sha256("\n".join(sorted(digests)).encode()).hexdigest()


def _read_floors(path: Path) -> dict[str, Any]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(f"Cannot read floors file {path}: {e.strerror}. Create it with --pin-floors.") from e
    except json.JSONDecodeError as e:
        raise ConfigError(f"{path} is not valid JSON ({e.msg}). Re-pin it with --pin-floors.") from e
    if not isinstance(data, dict) or not isinstance(data.get("floors"), dict) or "gold_sha256" not in data:
        raise ConfigError(f"{path}: expected an object with 'gold_sha256' and 'floors'. Re-pin it with --pin-floors.")
    return data


def check_floors(scores: dict[str, float], digest: str, floors_path: Path) -> list[str]:
    """Compare scores with pinned floors.

    Args:
        scores: the current :func:`flat_scores`.
        digest: the current :func:`gold_digest`.
        floors_path: the floors file.

    Returns:
        One message per failure (gold digest changed, score missing or below its floor
        by more than the file's tolerance); empty when the gate passes.

    Raises:
        InputError, ConfigError: when the floors file cannot be read.
    """
    data = _read_floors(floors_path)
    tolerance = float(data.get("tolerance", DEFAULT_TOLERANCE))
    failures: list[str] = []
    if data["gold_sha256"] != digest:
        failures.append(
            f"gold digest {digest[:12]} differs from the pinned {str(data['gold_sha256'])[:12]}: "
            f"the gold data changed; re-pin with --pin-floors {floors_path} "
            "(add --allow-lower if a score drops)"
        )
    for key, floor in sorted(data["floors"].items()):
        current = scores.get(key)
        if current is None:
            failures.append(f"{key}: no score (floor {floor})")
        elif current < float(floor) - tolerance:
            failures.append(f"{key}: {current:.4f} is below its floor {float(floor):.4f} (tolerance {tolerance})")
    return failures


def pin_floors(
    scores: dict[str, float],
    digest: str,
    gold_paths: Sequence[Path],
    floors_path: Path,
    allow_lower: bool = False,
) -> dict[str, Any]:
    """Write the current scores and gold digest as floors.

    Args:
        scores: the current :func:`flat_scores`.
        digest: the current :func:`gold_digest`.
        gold_paths: the gold files, recorded for readers.
        floors_path: the floors file to write.
        allow_lower: permit lowering (or dropping) a floor of an existing file.

    Returns:
        The data written.

    Raises:
        ConfigError: when a floor would be lowered without ``allow_lower``.
    """
    tolerance = DEFAULT_TOLERANCE
    if floors_path.exists():
        old = _read_floors(floors_path)
        tolerance = float(old.get("tolerance", DEFAULT_TOLERANCE))
        lowered = [
            f"{key} {float(floor):.4f} -> {scores[key]:.4f}" if key in scores else f"{key} {float(floor):.4f} -> none"
            for key, floor in sorted(old["floors"].items())
            if key not in scores or scores[key] < float(floor)
        ]
        if lowered and not allow_lower:
            raise ConfigError(
                f"Pinning would lower floors in {floors_path}: {', '.join(lowered)}. "
                "Pass --allow-lower if that is intended."
            )
    data = {
        "version": FLOORS_VERSION,
        "gold": [path.as_posix() for path in gold_paths],
        "gold_sha256": digest,
        "tolerance": tolerance,
        "floors": dict(sorted(scores.items())),
    }
    try:
        floors_path.parent.mkdir(parents=True, exist_ok=True)
        floors_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as e:
        raise InputError(f"Cannot write {floors_path}: {e.strerror}.") from e
    return data
