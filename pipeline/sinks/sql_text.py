"""Storing text in PostgreSQL exactly: the reversible escape of NUL (U+0000), for strings and JSON text.

PostgreSQL rejects NUL in ``text`` values and in JSON strings that ``->>`` extracts, so
every stored string is escaped with the private-use character U+E000:
``NUL -> U+E000 '0'`` and ``U+E000 -> U+E000 U+E000``. SQLite needs no escaping.
"""

from __future__ import annotations

import re

__all__ = ["ESC", "decode_json", "decode_text", "encode_json", "encode_text", "needs_escape"]

ESC = "\ue000"
_ENCODE_TABLE = str.maketrans({"\x00": ESC + "0", ESC: ESC + ESC})
_DECODE_TEXT = re.compile(ESC + "([" + ESC + "0])")
# In JSON text, NUL only appears as the escape \u0000; an escaped backslash pairs first.
_ENCODE_JSON = re.compile(r"\\\\|\\u0000|" + ESC)
_JSON_REPLACEMENTS = {"\\\\": "\\\\", "\\u0000": ESC + "0", ESC: ESC + ESC}


def encode_text(value: str) -> str:
    """Escape NUL reversibly for PostgreSQL: NUL -> U+E000 '0', U+E000 -> U+E000 U+E000."""
    if "\x00" in value or ESC in value:
        return value.translate(_ENCODE_TABLE)
    return value


def decode_text(value: str) -> str:
    """Undo :func:`encode_text` (for strings read from a PostgreSQL output database)."""
    if ESC not in value:
        return value
    return _DECODE_TEXT.sub(lambda m: "\x00" if m.group(1) == "0" else ESC, value)


def encode_json(text: str) -> str:
    """Escape the NULs of serialized JSON text (``\\u0000``) and U+E000 itself."""
    if "\\u0000" in text or ESC in text:
        return _ENCODE_JSON.sub(lambda m: _JSON_REPLACEMENTS[m.group(0)], text)
    return text


def decode_json(text: str) -> str:
    """Undo :func:`encode_json`."""
    if ESC not in text:
        return text
    return _DECODE_TEXT.sub(lambda m: "\\u0000" if m.group(1) == "0" else ESC, text)


def stored_json(text: str, escaped: bool) -> str:
    """The JSON of a record column as written: :func:`decode_json` when the database escaped it."""
    return decode_json(text) if escaped else text


def needs_escape(record_json: str) -> bool:
    """True when serialized JSON holds a NUL or U+E000 (every string of its record then needs escaping)."""
    return "\\u0000" in record_json or ESC in record_json
