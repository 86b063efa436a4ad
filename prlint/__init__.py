"""prlint: a data-quality linter for press releases."""

from __future__ import annotations

__version__ = "0.1.0"

from prlint.lint import lint

__all__ = ["__version__", "lint"]
