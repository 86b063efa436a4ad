"""Linear time: each shape of text that once made prlint super-linear is read and checked at
10 KB and at 1 MB, and the 1 MB case must cost at most 150 times the 10 KB one (CPU time of
this process, a ratio: no wall-clock threshold). A case over 150x is measured again; between
150x and 300x it is an expected failure that prints its figure, above 300x it fails (a
quadratic shape measures about 10,000x).

Covered: the readers (plain text, Markdown, HTML), release metadata, and the checks whose
patterns were reviewed for backtracking here (text-artifact, mixed-style, broken-paragraph).
"""

from __future__ import annotations

import gc
import time

import pytest

from prlint.config import Config
from prlint.metadata import extract_metadata
from prlint.readers import parse
from prlint.registry import ActiveCheck, activate

CHECKS = ["text-artifact", "mixed-style", "broken-paragraph"]
SHAPES = {
    "digits": "1234567890",
    "dashes": "-",
    "hyphenated-words": "well-known-",
    "url-without-spaces": "http://a.b/c",
    "dotted-hosts": "a.",
    "email-like": "a.b@",
    "one-word": "x",
    "dollar-escapes": "\\$",
    "open-parentheses": "(",
    "html-entities": "&amp;",
    "mojibake": "Ã©â€™",
    "zero-width": "a\u200b",
    "markdown-brackets": "[",
    "markdown-links": "[a](",
    "unclosed-comment": "<!--",
    "escaped-lt": "&lt;",
    "attributes": "<a href=x ",
    "phone-numbers": "212-555-0100 ",
    "phase-words": "Phase ",
    "spaces": " ",
    "quotes": '"',
    "pipes": "|",
}
MARKUP = {"dollar-escapes", "html-entities", "markdown-brackets", "markdown-links",
          "unclosed-comment", "escaped-lt", "attributes", "quotes", "pipes"}  # fmt: skip
CASES = [(shape, kind) for shape in SHAPES for kind in (("txt", "md", "html")
         if shape in MARKUP else ("txt",))]  # fmt: skip
SMALL, LARGE, LIMIT = 10_000, 1_000_000, 150
#: a linear pass over 200,000 findings or entities measures 80-160x on this bound: at 1 MB the
#: objects no longer fit the processor's caches. Up to twice the bound is reported as a known
#: overshoot (xfail with the figure); a super-linear shape costs thousands of times more.
NOISE_FACTOR = 2


@pytest.fixture(scope="module")
def checks() -> list[ActiveCheck]:
    return activate(Config(), select=CHECKS)


def _cost(text: str, kind: str, checks: list[ActiveCheck]) -> float:
    """CPU seconds to parse, read metadata and run the checks (collector paused, as in runs)."""
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        doc = parse(f"r.{kind}", text, kind=kind)
        extract_metadata(doc)
        for active in checks:
            active.check.extract(doc, active.ctx)
        return time.process_time() - started
    finally:
        gc.enable()


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "kind"), CASES, ids=[f"{s}-{k}" for s, k in CASES])
def test_one_megabyte_costs_at_most_150_times_ten_kilobytes(
    shape: str, kind: str, checks: list[ActiveCheck]
) -> None:
    unit = SHAPES[shape]
    small = min(_cost(_repeat(unit, SMALL), kind, checks) for _ in range(5))
    large = _cost(_repeat(unit, LARGE), kind, checks)
    if large / max(small, 0.001) > LIMIT:
        # one slow sample is noise (another process, a cold cache); a super-linear cost is
        # over the bound in every sample, so the best of a second round decides
        small = min([small] + [_cost(_repeat(unit, SMALL), kind, checks) for _ in range(5)])
        large = min(large, _cost(_repeat(unit, LARGE), kind, checks))
    # below a millisecond the clock's resolution decides: count it as one millisecond
    ratio = large / max(small, 0.001)
    message = f"{shape} ({kind}): 1 MB took {large:.2f}s, {ratio:.0f}x 10 KB"
    assert ratio <= NOISE_FACTOR * LIMIT, message
    if ratio > LIMIT:
        pytest.xfail(f"{message}: over the {LIMIT}x bound, under {NOISE_FACTOR * LIMIT}x")
