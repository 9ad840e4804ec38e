"""Datelines: place, optional date and where the body proper starts."""
from __future__ import annotations

import pytest

from wirewatch.extract.dateline import parse_dateline


@pytest.mark.parametrize(
    ("text", "place", "date", "rest"),
    [
        ("BEIRUT \u2014 Officials said on Monday", "BEIRUT", None, "Officials said on Monday"),
        ("KHARKIV, Ukraine (Northwind Wire) \u2014 Shelling resumed", "KHARKIV, Ukraine", None, "Shelling resumed"),
        ("LIMA, Peru, Oct. 3 (Reuters) - Police detained", "LIMA, Peru", "2024-10-03", "Police detained"),
        ("PARIS, Texas -- The mayor of", "PARIS, Texas", None, "The mayor of"),
        ("NEW YORK, March 3, 2023 (AP) \u2014 Stocks fell", "NEW YORK", "2023-03-03", "Stocks fell"),
        ("ST. LOUIS\u2014A jury", "ST. LOUIS", None, "A jury"),
        ("Kyiv, Ukraine \u2014 Air raid sirens", "Kyiv, Ukraine", None, "Air raid sirens"),
    ],
)
def test_datelines(text, place, date, rest):
    got_place, got_date, end = parse_dateline(text, reference="2024-10-05")
    assert (got_place, got_date) == (place, date)
    assert text[end:] == rest
    assert text.startswith(got_place)


@pytest.mark.parametrize("text", [
    "The Minister \u2014 who spoke late \u2014 denied it.",
    "KYIV-based analysts said the front was stable.",
    "Rebels seized the town - reports say - overnight.",
    "BREAKING \u2014 A strong earthquake struck",
    "Officials said on Tuesday that talks would resume.",
])
def test_not_datelines(text):
    assert parse_dateline(text) == (None, None, 0)


def test_yearless_date_needs_a_reference_and_never_postdates_it():
    assert parse_dateline("LIMA, Peru, Oct. 3 (Reuters) - x")[1] is None
    # A December dateline on a January publication belongs to the year before.
    assert parse_dateline("OSLO, Dec. 30 (Reuters) - x", reference="2025-01-02")[1] == "2024-12-30"
    assert parse_dateline("OSLO, Feb. 30 (Reuters) - x", reference="2025-03-02")[1] is None
