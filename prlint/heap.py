"""Giving the C heap's free pages back to the system.

Python keeps small objects in arenas of its own; a record's encoded bytes, a few kilobytes
each, live in the C heap, where glibc keeps the pages freed between live blocks unless asked.
A run that decodes thousands of records lets their bytes go one by one, so it asks now and
then: without it, the decoded records' memory comes on top of every record's bytes.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable

#: records decoded between two returns of the free pages (a return walks the heap: a few
#: milliseconds for a heap of two hundred megabytes)
EVERY = 2000


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, if the C library has it."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError, TypeError):  # not glibc (or no C library to load)
        return None


def give_back_memory() -> None:
    """Return the free pages of the C heap to the system (nothing without glibc)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
