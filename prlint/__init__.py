"""prlint: a data-quality linter for press releases."""

from __future__ import annotations

__version__ = "0.1.0"

from prlint.baseline import BaselineError
from prlint.config import ConfigError
from prlint.dask_engine import EngineError
from prlint.engine import InputError
from prlint.lint import lint
from prlint.readers import ReadError
from prlint.registry import RegistryError
from prlint.result import Result

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
