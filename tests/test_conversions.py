"""Unit tests of :mod:`prlint.checks.lib.conversions`: measurements and their conversions."""

from __future__ import annotations

import pytest

from prlint.checks.lib.conversions import conversion_slips


@pytest.mark.parametrize(
    ("text", "given", "converted", "expected"),
    [
        ("a 275-mile (475 km) line", "275 miles", "475 km", "443 km"),
        ("18,260 hectares (41,020 acres)", "18,260 hectares", "41,020 acres", "45,121 acres"),
        ("1,100 acres (405 hectares)", "1,100 acres", "405 hectares", "445 hectares"),
        ("kept at -20°C (4°F)", "-20°C", "4°F", "-4.0°F"),
        ("from 527 to 671 ft (160.6-163.6 m)", "671 ft", "163.6 m", "204.5 m"),
        ("a 10 inch (30 cm) screen", "10 inches", "30 cm", "25 cm"),
    ],
)
def test_failed_conversions_are_found(text: str, given: str, converted: str, expected: str) -> None:
    slips = list(conversion_slips(text))
    assert [(s.given, s.converted, s.expected) for s in slips] == [(given, converted, expected)]
    assert text[slips[0].start : slips[0].end].endswith(")")


@pytest.mark.parametrize(
    "text",
    [
        "1.5 ft (0.5 m)",  # rounded to the digits written
        "1,000 acres (405 hectares)",
        "covering 16,600 hectares (41,020 acres)",
        "12.35 oz (350 g)",  # an avoirdupois ounce
        "1.2 oz (37 g) of gold",  # a troy ounce
        "14.46 oz (approx. 400g)",  # approximately: 5% of slack
        "-20°C (-4°F)",
        "a 1 gal (4.5 litres) can",  # an imperial gallon
        "22- to 42-centimeters (8.7 inches to 16.5 inches)",  # the end of a range
        "from 100°F to 131°F (38°C-55°C)",
        "at 102.2°F and 105.8°F (39°C and 41°C)",  # a list
        "1.7 km x 0.5 km (1.1 miles x 0.3 miles)",  # dimensions
        "2 g/t (0.06 oz/t)",  # rates
        "$5 M (4.6 M)",  # money
        "a 10 km (10 km) loop",  # the same unit
        "527 to 537 ft (160.6 m)",  # a range on one side only
    ],
)
def test_conversions_that_hold_or_cannot_be_paired_pass(text: str) -> None:
    assert list(conversion_slips(text)) == []
