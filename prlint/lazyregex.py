"""Regular expressions compiled when first used.

A module's patterns are compiled at import; ``regex`` parses each in Python, and prlint's
checks hold about a hundred and fifty of them. A run that extracts one release (the
pre-commit case) uses about half, so compiling all of them was a quarter of its time.
:func:`lazy` stands for ``regex.compile`` at a module's top level: the pattern is compiled
on the first use of any of its attributes, and its methods are then bound on the object,
so that later calls cost what they cost on the compiled pattern.
"""

from __future__ import annotations

from typing import Any, cast

import regex

#: what is bound on first use: every public attribute a compiled pattern has
_BOUND = tuple(name for name in dir(regex.compile("")) if not name.startswith("_"))


class LazyPattern:
    """A pattern and its flags, compiled on the first use of an attribute. It stands for
    the compiled pattern wherever one is used through its attributes (``search``,
    ``finditer``, ``pattern``, ...); it is no :class:`regex.Pattern` to ``isinstance`` or
    to ``regex``'s module functions (``regex.sub(pattern, ...)``)."""

    def __init__(self, pattern: str, flags: int, kwargs: dict[str, Any]) -> None:
        self._args = (pattern, flags, kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # not a pattern's attribute (copy and pickle ask for some)
            raise AttributeError(name)
        pattern, flags, kwargs = self._args
        compiled = regex.compile(pattern, flags, **kwargs)  # raises as it would at import
        for bound in _BOUND:
            setattr(self, bound, getattr(compiled, bound))
        return getattr(compiled, name)

    def __reduce__(self) -> tuple[Any, ...]:  # a copy is as lazy, whatever was bound
        return (LazyPattern, self._args)

    def __repr__(self) -> str:
        return f"lazy({self._args[0]!r}, {self._args[1]!r})"


def lazy(pattern: str, flags: int = 0, **kwargs: Any) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags, **kwargs)``, compiled on first use."""
    return cast("regex.Pattern[str]", LazyPattern(pattern, flags, kwargs))
