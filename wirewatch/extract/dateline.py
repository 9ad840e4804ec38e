"""Datelines: the "PLACE, Region, Date (Outlet) —" opening of a wire report.

A dateline says where (and sometimes when) a report was filed; it is metadata, not a claim of the
body, so callers can use the place and date and skip `span_end` characters of text.
"""
from __future__ import annotations

import datetime as dt
import re

__all__ = ["parse_dateline", "MONTHS"]

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"

# An upper-case place ("NEW YORK", "ST. LOUIS", "RIO DE JANEIRO") may stand alone before the dash;
# a title-case one ("Kyiv") only with a region, date or outlet after it, so that an ordinary
# sentence with a dash ("The Minister — who ...") is not taken for a dateline.
_UPPER_PLACE = r"[A-Z][A-Z'\u2019.\-]*(?:\s+[A-Z][A-Z'\u2019.\-]*){0,4}"
_TITLE_PLACE = r"[A-Z][\w'\u2019.\-]*(?:\s+[A-Z][\w'\u2019.\-]*){0,3}"
_REGION = r"[A-Z][\w'\u2019.\-]*(?:\s+[A-Z][\w'\u2019.\-]*){0,3}"
_DATE = rf"(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?"
_OUTLET = r"\((?P<outlet>[^()\n]{2,60})\)"
# An em or en dash may touch the place ("BEIRUT\u2014Officials"); a hyphen needs a space before it,
# so "KYIV-based" is not a dateline.
_DASH = r"(?:\s*[\u2014\u2013]|\s+--?)\s*"
# Upper-case openers that are labels, not places.
_LABELS = frozenset({"BREAKING", "UPDATE", "UPDATED", "EXCLUSIVE", "ANALYSIS", "OPINION", "EDITORIAL",
                     "WATCH", "LIVE", "FACT CHECK", "CORRECTION", "UPDATE 1", "URGENT", "COMMENT"})

_DATELINE = re.compile(
    rf"""^\s*
    (?P<place>{_UPPER_PLACE}|{_TITLE_PLACE})
    (?P<regions>(?:,\s*(?!{_MONTH}\s+\d){_REGION}){{0,2}})
    (?:,\s*{_DATE})?
    (?:\s*{_OUTLET})?
    {_DASH}""",
    re.VERBOSE,
)


def _iso(month: str, day: str, year: str | None, reference: str | None) -> str | None:
    """Return an ISO date; without a year, take it from `reference` (a dateline never postdates
    its publication, so a month after the reference month belongs to the year before)."""
    number = MONTHS.get(month.rstrip(".").lower())
    if number is None:
        return None
    if year is None:
        if not reference or not re.match(r"\d{4}-\d{2}", reference):
            return None
        ref_year, ref_month = int(reference[:4]), int(reference[5:7])
        year_n = ref_year - 1 if number > ref_month else ref_year
    else:
        year_n = int(year)
    try:
        return dt.date(year_n, number, int(day)).isoformat()
    except ValueError:
        return None


def parse_dateline(text: str, reference: str | None = None) -> tuple[str | None, str | None, int]:
    """Return (place as written, ISO date or None, end offset) of a dateline opening `text`.

    Accepts "BEIRUT —", "KHARKIV, Ukraine (Northwind Wire) —", "LIMA, Peru, Oct. 3 (Reuters) -",
    "PARIS, Texas --". The place keeps its region ("PARIS, Texas"). A date without a year is
    resolved with `reference` (the publication date, ISO) when given, else left None. Without a
    dateline the result is (None, None, 0); `span_end` points past the dash and its spaces.
    """
    match = _DATELINE.match(text[:200])
    if not match:
        return None, None, 0
    place = match.group("place")
    upper = place.upper() == place and any(c.isalpha() for c in place)
    extras = match.group("regions") or match.group("month") or match.group("outlet")
    if place.strip(" .").upper() in _LABELS:
        return None, None, 0
    if not upper and not extras:
        return None, None, 0
    if not upper and place.split()[0] in {"The", "A", "An", "But", "And", "In", "On", "At", "It"}:
        return None, None, 0
    place_text = (place + (match.group("regions") or "")).strip()
    date = None
    if match.group("month"):
        date = _iso(match.group("month"), match.group("day"), match.group("year"), reference)
    return place_text, date, match.end()
