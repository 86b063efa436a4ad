"""Escaping untrusted text (paths, messages) for reports and stderr."""

from __future__ import annotations

import regex

_UNPRINTABLE = regex.compile(r"[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters and line breaks written as escapes (``\\n``,
    ``\\x1b``): one line that no terminal or CI log interprets."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(m: regex.Match[str]) -> str:
    c = m.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if c in named:
        return named[c]
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
