"""newsevents: news archives -> structured arrest, release and announcement records.

``from pipeline import Pipeline`` is the Python API (docs/api.md). It is exported lazily,
so ``import pipeline`` stays cheap and never imports spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pipeline.api import Extraction, Pipeline

__all__ = ["Extraction", "Pipeline", "__version__"]

_LAZY = {"Pipeline": "pipeline.api", "Extraction": "pipeline.api"}


def __getattr__(name: str) -> Any:
    """Import the public API on first access (PEP 562)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
