"""Measurements written in two units at once, "0.5 km (1.1 miles)", whose conversion fails.

A release that gives a length, an area, a mass, a volume or a temperature with its conversion
in parentheses states one fact twice; when one number is changed (copied from an older
release, mistyped, converted with the wrong factor) the two disagree. :func:`conversion_slips`
finds them in a text. Each written number stands for the interval it rounds (``160.6``:
160.55 to 160.65; ``1,500``: within 5% or half its last non-zero digit, whichever is
smaller), and two numbers agree when their intervals, converted, overlap or lie within 2%
(5% after "approximately", "about" or "~"). An ounce may be troy or avoirdupois, a gallon
American or imperial: either reading agrees. Rates (``g/t``), money and bare numbers are no
measurements here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from prlint.lazyregex import lazy

#: a unit: its canonical name, its dimension and its factors to the dimension's base unit
_Unit = tuple[str, str, tuple[float, ...]]
#: unit pattern -> its unit
_UNITS: dict[str, _Unit] = {
    r"(?:square|sq\.?)\s?(?:kilomet(?:er|re)s?|km)|km²|km2": ("km²", "area", (1e6,)),
    r"(?:square|sq\.?)\s?(?:miles?|mi)": ("sq mi", "area", (2_589_988.110336,)),
    r"(?:square|sq\.?)\s?(?:feet|foot|ft)": ("sq ft", "area", (0.09290304,)),
    r"(?:square|sq\.?)\s?(?:met(?:er|re)s?|m)|m²|m2": ("m²", "area", (1.0,)),
    r"acres?": ("acres", "area", (4046.8564224,)),
    r"hectares?|ha": ("hectares", "area", (10_000.0,)),
    r"kilomet(?:er|re)s?|km": ("km", "length", (1000.0,)),
    r"miles?|mi": ("miles", "length", (1609.344,)),
    r"feet|foot|ft": ("ft", "length", (0.3048,)),
    r"inches|inch|in": ("inches", "length", (0.0254,)),
    r"centimet(?:er|re)s?|cm": ("cm", "length", (0.01,)),
    r"millimet(?:er|re)s?|mm": ("mm", "length", (0.001,)),
    r"met(?:er|re)s?|m": ("m", "length", (1.0,)),
    r"kilograms?|kg": ("kg", "mass", (1.0,)),
    r"pounds?|lbs?": ("lb", "mass", (0.45359237,)),
    r"tonnes?": ("tonnes", "mass", (1000.0,)),
    r"ounces?|oz": ("oz", "mass", (0.028349523125, 0.0311034768)),
    r"grams?|g": ("g", "mass", (0.001,)),
    r"litres?|liters?|l": ("litres", "volume", (1.0,)),
    r"gallons?|gal": ("gallons", "volume", (3.785411784, 4.54609)),
    r"(?:°|º|degrees?\s)\s?(?:fahrenheit|f)": ("°F", "temperature", ()),
    r"(?:°|º|degrees?\s)\s?(?:celsius|centigrade|c)": ("°C", "temperature", ()),
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT_ALT = "|".join(f"(?:{p})" for p in _UNITS)
_APPROX = r"approximately|approx\.?|about|around|roughly|nearly|some|~|≈"
_PAIR = lazy(
    rf"""
    (?<![\w.,/$€£¥+-])(?P<sign1>-)?(?P<a1>{_NUM})(?:\s?(?:-|–|to)\s?(?P<a2>{_NUM}))?
    [\s-]?(?P<u1>{_UNIT_ALT})(?![\w/²])
    \s?\(\s?(?P<approx>(?:{_APPROX})\s?)?(?P<sign2>-)?(?P<b1>{_NUM})
    (?:\s?(?:-|–|to)\s?(?P<b2>{_NUM}))?[\s-]?(?P<u2>{_UNIT_ALT})\s?\)
    """,
    regex.IGNORECASE | regex.VERBOSE,
)
_UNIT_RES = [(lazy(rf"(?:{p})", regex.IGNORECASE), spec) for p, spec in _UNITS.items()]
# a measurement that ends a range, a list or dimensions ("100°F to 131°F (38°C-55°C)", "22- to
# 42-cm", "104°F and 105.8°F (40°C and 41°C)", "1.7 km x 0.5 km"): which numbers pair up is
# not known
_LIST_BEFORE = lazy(r"(?:\b(?:to|and|or|through|by|x)|[-–,×])\s*$", regex.IGNORECASE)


@dataclass(frozen=True)
class ConversionSlip:
    """Two numbers of a measurement and its conversion that disagree, and where they are."""

    start: int  # the whole "0.5 km (1.1 miles)" in the text, parentheses included
    end: int
    given: str  # "0.5 km"
    converted: str  # "1.1 miles"
    expected: str  # "0.31 miles": what the first number converts to


def _unit(written: str) -> _Unit:
    for pattern, spec in _UNIT_RES:
        if pattern.fullmatch(written.strip()):
            return spec
    raise KeyError(written)


def _value(written: str, negative: bool) -> float:
    v = float(written.replace(",", ""))
    return -v if negative else v


def _half_unit(written: str) -> float:
    """Half the rounding step of a written number: of its last decimal, or of its last non-zero
    digit (at most 5% of it: "1,000" is no 500-1,500)."""
    digits = written.replace(",", "")
    if "." in digits:
        return 0.5 * 10 ** -len(digits.split(".")[1])
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0 or zeros == len(digits):
        return 0.5
    return max(0.5, min(0.5 * 10**zeros, 0.05 * float(digits)))


def _celsius(value: float, unit: str) -> float:
    return (value - 32) * 5 / 9 if unit == "°F" else value


def _agree(a: str, a_neg: bool, ua: _Unit, b: str, b_neg: bool, ub: _Unit, slack: float) -> bool:
    """Whether two written numbers, in their units, can be one measurement."""
    x, hx = _value(a, a_neg), _half_unit(a)
    y, hy = _value(b, b_neg), _half_unit(b)
    if ua[1] == "temperature":  # compared in degrees Celsius, one degree of slack
        lo1, hi1 = sorted((_celsius(x - hx, ua[0]), _celsius(x + hx, ua[0])))
        lo2, hi2 = sorted((_celsius(y - hy, ub[0]), _celsius(y + hy, ub[0])))
        return lo1 <= hi2 + 1 and lo2 <= hi1 + 1
    for fa in ua[2]:
        for fb in ub[2]:
            lo1, hi1 = (x - hx) * fa, (x + hx) * fa
            lo2, hi2 = (y - hy) * fb, (y + hy) * fb
            tol = slack * max(abs(lo1), abs(hi1), abs(lo2), abs(hi2))
            if lo1 <= hi2 + tol and lo2 <= hi1 + tol:
                return True
    return False


def _expected(a: str, a_neg: bool, ua: _Unit, b: str, ub: _Unit) -> str:
    """What ``a`` converts to in ``b``'s unit, written with ``b``'s decimals (at least two
    significant digits)."""
    x = _value(a, a_neg)
    if ua[1] == "temperature":
        c = _celsius(x, ua[0])
        v = c * 9 / 5 + 32 if ub[0] == "°F" else c
    else:
        v = x * ua[2][0] / ub[2][0]
    decimals = len(b.split(".")[1]) if "." in b else 0
    while decimals < 6 and v != 0 and abs(v) < 10 ** (1 - decimals):
        decimals += 1
    return f"{v:,.{decimals}f}"


#: a number and a word in parentheses: where a conversion may end (the pattern is tried only
#: on the text before one, most releases having none)
_PARENTHESES = lazy(
    r"\([^()\d]{0,16}\d[\d,.]*[^()\d]{0,4}(?:\d[\d,.]*)?[\s-]?[^\W\d_][^()]{0,20}\)"
)
_REACH = 60  # characters before the parentheses in which the measurement starts


def _pairs(text: str) -> Iterator[regex.Match[str]]:
    for paren in _PARENTHESES.finditer(text):
        start, end = paren.span()
        for m in _PAIR.finditer(text, max(0, start - _REACH), end):
            if m.end() > start:
                yield m
                break


def conversion_slips(text: str) -> Iterator[ConversionSlip]:
    """Each measurement of ``text`` whose conversion in parentheses fails."""
    for m in _pairs(text):
        try:
            ua, ub = _unit(m["u1"]), _unit(m["u2"])
        except KeyError:
            continue
        if ua[1] != ub[1] or ua[0] == ub[0]:
            continue
        if bool(m["a2"]) != bool(m["b2"]):
            continue  # a range on one side only: no pairing of its numbers
        if _LIST_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        slack = 0.05 if m["approx"] else 0.02
        pairs = [(m["a1"], m["b1"])] + ([(m["a2"], m["b2"])] if m["a2"] else [])
        for i, (a, b) in enumerate(pairs):
            a_neg = bool(m["sign1"]) and i == 0
            b_neg = bool(m["sign2"]) and i == 0
            if _agree(a, a_neg, ua, b, b_neg, ub, slack):
                continue
            yield ConversionSlip(
                m.start(),
                m.end(),
                _shown(("-" if a_neg else "") + a, ua[0]),
                _shown(("-" if b_neg else "") + b, ub[0]),
                _shown(_expected(a, a_neg, ua, b, ub), ub[0]),
            )
            break


def _shown(number: str, unit: str) -> str:
    return f"{number}{unit}" if unit.startswith("°") else f"{number} {unit}"
