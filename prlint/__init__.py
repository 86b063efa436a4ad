"""prlint: a data-quality linter for press releases."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

from prlint.baseline import BaselineError
from prlint.config import ConfigError
from prlint.dask_engine import EngineError
from prlint.engine import InputError
from prlint.lint import lint
from prlint.registry import RegistryError
from prlint.result import Result


def __getattr__(name: str) -> Any:
    """``ReadError``, loaded on use (the readers compile their patterns when imported)."""
    if name == "ReadError":
        from prlint.readers import ReadError

        return ReadError
    raise AttributeError(f"module 'prlint' has no attribute {name!r}")


__all__ = [
    "BaselineError",
    "ConfigError",
    "EngineError",
    "InputError",
    "ReadError",
    "RegistryError",
    "Result",
    "__version__",
    "lint",
]
