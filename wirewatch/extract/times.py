"""Time expressions: find "on Tuesday", "last week", "Oct. 12" in a body and resolve them to dates.

Candidates come from spaCy DATE entities plus a few patterns spaCy misses; each keeps its exact
span. Resolution is against the publication date (article.published, else the dateline):

* relative expressions are resolved by rule, because their meaning is a convention to state, not
  to guess: a weekday is the most recent such day on or before publication (after it, when the
  sentence speaks of the future: "will", "is due to", "scheduled"); "last/this/next week" is that
  week's Monday (ISO weeks start on Monday); "last/this/next month" is "YYYY-MM"; years are
  "YYYY"; "N days ago" is a day, "N months ago" a month;
* calendar dates ("Oct. 12", "12 October 2024", "2026-10-14") go to dateparser (English only, no
  language detection, cached per text and base), whose reported period sets the precision; a
  date without a year lands on or before publication, or after it in future context.

An expression that cannot be pinned down ("decades", "the 1990s", a weekday with no publication
date) keeps `date=None`.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import re
from bisect import bisect_right
from functools import lru_cache

from wirewatch.extract.dateline import parse_dateline
from wirewatch.model import Article, Claim, TimeExpression

__all__ = ["find_times", "date_claims", "publication_date", "resolve_time"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

# Month names are matched case-sensitively: lower-case "may" and "march" are usually not months.
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_UNIT = r"(?:day|week|month|year)s?"
_COUNT = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_I = "(?i:{})"  # case-insensitive group around lower-case vocabulary

# Patterns for what spaCy's DATE entities often miss or cut differently; the spans exclude
# prepositions ("on Tuesday" -> "Tuesday") so they line up with spaCy's entities. A group named
# "t" marks the span when the pattern needs context (a bare month or year after "in").
_PATTERNS = [re.compile(p) for p in (
    r"\b\d{4}-\d{2}-\d{2}\b",
    rf"\b{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?\b(?!:)",
    rf"\b{_DAY}\s+{_MONTH}(?:,?\s+\d{{4}})?\b",
    rf"\b{_MONTH}\s+\d{{4}}\b",
    rf"\b(?:in|since|until|by|from|through|during|before|after|early|late|mid|last|next|this)[\s-](?P<t>{_MONTH})(?!\s+\d)(?=[\s,.;:)])",
    r"\b(?:in|since|until|by|from|through|during|before|after|of|early|late|mid)[\s-](?P<t>(?:19|20)\d{2})\b(?![-/.,]?\d)",
    _I.format(r"\b(?:(?:last|next|this|past|coming)\s+)?") + _WEEKDAY + _I.format(r"(?:\s+(?:morning|afternoon|evening|night))?\b"),
    _I.format(r"\b(?:yesterday|today|tomorrow|tonight)\b"),
    _I.format(r"\b(?:(?:earlier|later|early|late)\s+|mid-)?(?:this|last|next|past)\s+(?:week|weekend|month|year)\b"),
    _I.format(rf"\b{_COUNT}\s+{_UNIT}\s+ago\b"),
)]

# A spaCy DATE entity is kept only if it points at the calendar: a month, weekday, year or a
# word relative to publication. Durations and ages ("12 months", "60-day", "aged 67",
# "decades") are not points in time and are dropped.
_ANCHOR = re.compile(
    rf"{_MONTH}\b|{_WEEKDAY}|\b(?:19|20)\d{{2}}\b|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|"
    + _I.format(r"\b(?:yesterday|today|tomorrow|tonight|ago|last|next|this|earlier|later|past|coming)\b")
)
_QUOTE = re.compile("[\"\u201c\u201d]")
_FUTURE = re.compile(
    r"\b(?:will|shall|won't|'ll|(?:is|are) due|(?:is|are) set to|scheduled|plans? to|planned|"
    r"(?:is|are) expected to|upcoming|to be held)\b", re.IGNORECASE)
# A scheduled event in the present simple right before the date ("the truce expires on Friday")
# speaks of what is still to come, even in a past-tense sentence.
_SCHEDULED = re.compile(
    r"\b(?:expires|begins|starts|ends|opens|closes|resumes|reopens|runs out|takes effect|lapses)\s+(?:on\s+|next\s+)?$",
    re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\n]")


def _parse_published(value: str | None) -> dt.date | None:
    """Read a publication date written as ISO 8601, RFC 2822 (feeds) or, last, free text."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", text):
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    parsed = _dateparser_parse(text, None, "past")
    return parsed[0] if parsed else None


def publication_date(article: Article, doc=None) -> str | None:
    """Return the ISO date the article was published: its `published` field, else its dateline."""
    published = _parse_published(article.published)
    if published:
        return published.isoformat()
    _, date, _ = parse_dateline(article.text or "")
    return date


def load_date_parser() -> None:
    """Import dateparser and load its English data now: a few tenths of a second, once per process."""
    _dateparser_parse("1 January 2000", None, "past")


@lru_cache(maxsize=4096)
def _dateparser_parse(text: str, base: dt.date | None, prefer: str) -> tuple[dt.date, str] | None:
    """Parse a calendar date with dateparser; return (date, period) or None. Cached per input,
    since dateparser costs about a millisecond a call."""
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": prefer, "DATE_ORDER": "MDY", "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day, 12)
    # languages=["en"] skips dateparser's language detection, its slowest step.
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekday(base: dt.date, target: int, direction: str) -> dt.date:
    """Resolve a weekday: "past" -> on or before base, "future" -> on or after, "last" -> strictly
    before, "next" -> strictly after."""
    if direction in ("past", "last"):
        back = (base.weekday() - target) % 7
        if direction == "last" and back == 0:
            back = 7
        return base - dt.timedelta(days=back)
    ahead = (target - base.weekday()) % 7
    if direction == "next" and ahead == 0:
        ahead = 7
    return base + dt.timedelta(days=ahead)


_REL_UNIT = re.compile(r"\b(?:(earlier|later|early|late)\s+|mid-)?(this|last|next|past|coming)\s+(week|weekend|month|year)\b")
_AGO = re.compile(rf"\b({_COUNT})\s+(day|week|month|year)s?\s+ago\b")
_WEEKDAY_RE = re.compile(r"\b(?:(last|next|this|past|coming)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_YEAR_ONLY = re.compile(r"^(?:(?:in|the year|early|late|mid-?)\s+)?((?:19|20)\d{2})$")
_CALENDAR = re.compile(rf"{_MONTH}|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b")
_DECADE = re.compile(r"\b(?:19|20)\d0s\b|(?<!\d)(?:19|20)\d{2}\s*[-\u2013]\s*(?:\d{2}|(?:19|20)\d{2})(?![-\d])")
# "mid-October", "early March", "late 2019": a part of a month or year resolves to the whole.
_PART_OF = re.compile(rf"^(?:the\s+)?(?:early|mid|late|end of|beginning of|start of)[\s-]+(?=(?:(?:this|last|next)\s+)?(?:{_MONTH}|\d{{4}}|month|year)\b)", re.IGNORECASE)


def resolve_time(text: str, base: dt.date | None, future: bool = False) -> str | None:
    """Resolve one time expression against `base` (the publication date); None if it can't be.

    `future` says the sentence speaks of what is still to come, which moves an unqualified
    weekday or yearless date to on-or-after publication.
    """
    text = _PART_OF.sub("", text.strip())
    low = text.lower()
    if _DECADE.search(low):
        return None  # a decade or a range is not one date
    year = _YEAR_ONLY.match(low)
    if year:
        return year.group(1)
    if base is not None:
        if re.search(r"\b(?:today|tonight)\b", low):
            return base.isoformat()
        if "yesterday" in low:
            return (base - dt.timedelta(days=1)).isoformat()
        if "tomorrow" in low:
            return (base + dt.timedelta(days=1)).isoformat()
        ago = _AGO.search(low)
        if ago:
            count = _NUMBER_WORDS.get(ago.group(1)) or int(ago.group(1))
            unit = ago.group(2)
            if unit == "day":
                return (base - dt.timedelta(days=count)).isoformat()
            if unit == "week":
                return (base - dt.timedelta(weeks=count)).isoformat()
            if unit == "month":
                return "%04d-%02d" % _shift_month(base.year, base.month, -count)
            return str(base.year - count)
        weekday = _WEEKDAY_RE.search(low)
        if weekday and not _CALENDAR.search(text):
            qualifier = {"past": "last", "coming": "next", None: None, "this": None}.get(weekday.group(1), weekday.group(1))
            direction = qualifier or ("future" if future else "past")
            return _weekday(base, WEEKDAYS.index(weekday.group(2)), direction).isoformat()
        rel = _REL_UNIT.search(low)
        if rel:
            which, unit = rel.group(2), rel.group(3)
            step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(which, 0)
            if unit in ("week", "weekend"):
                monday = _monday(base) + dt.timedelta(weeks=step)
                return (monday + dt.timedelta(days=5) if unit == "weekend" else monday).isoformat()
            if unit == "month":
                return "%04d-%02d" % _shift_month(base.year, base.month, step)
            return str(base.year + step)
    if not _CALENDAR.search(text) and not re.search(r"\b(?:19|20)\d{2}\b", text):
        return None  # nothing calendar-like left for dateparser; it would invent a date
    return _resolve_calendar(text, base, future)


def _resolve_calendar(text: str, base: dt.date | None, future: bool) -> str | None:
    has_year = re.search(r"\b(?:19|20)\d{2}\b", text) is not None
    if base is None and not has_year:
        return None
    parsed = _dateparser_parse(text.strip(), base, "future" if future else "past")
    if parsed is None:
        return None
    date, period = parsed
    has_day = re.search(rf"{_MONTH}\s+\d|\d\s+{_MONTH}|\d{{4}}-\d{{2}}-\d{{2}}|\d/\d", text) is not None
    if period == "year" or (has_year and not has_day and not re.search(_MONTH, text)):
        return f"{date.year:04d}"
    if period == "month" or not has_day:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def _candidates(doc, text: str) -> list[tuple[int, int]]:
    """Return non-overlapping (start, end) spans of time expressions, longest first on overlap."""
    spans = []
    for pattern in _PATTERNS:
        group = "t" if "t" in pattern.groupindex else 0
        spans.extend(m.span(group) for m in pattern.finditer(text))
    if doc is not None:
        for ent in getattr(doc, "ents", ()):
            # A quote mark inside means spaCy ran across a quotation ('last "days'): not one expression.
            if ent.label_ == "DATE" and _ANCHOR.search(ent.text) and not _QUOTE.search(ent.text):
                start, end = ent.start_char, ent.end_char
                # spaCy folds a leading "the" or preposition-like word in; drop it for a tighter span.
                lead = re.match(r"(?i:the|on|in|at|by|since|until)\s+", text[start:end])
                if lead and end - start > lead.end():
                    start += lead.end()
                spans.append((start, end))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: -(s[1] - s[0])):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return sorted(chosen)


def _is_future(text: str, start: int, end: int) -> bool:
    """Whether the sentence around [start, end) speaks of the future (a text window, no parser)."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 400), start)), default=max(0, start - 400))
    right_match = _SENTENCE_END.search(text, end, end + 400)
    right = right_match.start() if right_match else min(len(text), end + 400)
    sentence = text[left:right]
    return (bool(_FUTURE.search(sentence)) or bool(re.match(r"(?i)next|coming", text[start:end]))
            or bool(_SCHEDULED.search(text[max(0, start - 40):start])))


def find_times(doc, article: Article) -> list[TimeExpression]:
    """Find and resolve the time expressions of `article.text`; `doc` (spaCy) may be None.

    Each span is exact (`text == article.text[start:end]`); `date` is "YYYY-MM-DD", "YYYY-MM" or
    "YYYY", or None when the expression cannot be pinned to the calendar.
    """
    text = article.text or ""
    base_iso = publication_date(article)
    base = dt.date.fromisoformat(base_iso) if base_iso else None
    out = []
    for start, end in _candidates(doc, text):
        span = text[start:end]
        date = resolve_time(span, base, _is_future(text, start, end))
        out.append(TimeExpression(article=article.id, start=start, end=end, text=span, date=date))
    return out


def _precision(date: str) -> int:
    return len(date)  # "YYYY-MM-DD" > "YYYY-MM" > "YYYY"


def date_claims(claims: list[Claim], times: list[TimeExpression]) -> None:
    """Set `claim.date` to the most specific resolved time expression inside the claim's span
    (the first one on a tie); claims without one keep `date=None`."""
    dated = sorted((t for t in times if t.date), key=lambda t: t.start)
    starts = [t.start for t in dated]
    for claim in claims:
        best = None
        for t in dated[: bisect_right(starts, claim.end)]:
            if t.start >= claim.start and t.end <= claim.end:
                if best is None or _precision(t.date) > _precision(best.date):
                    best = t
        if best is not None:
            claim.date = best.date
