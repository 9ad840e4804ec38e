"""Figure series of a story: every value its reports give for one counted thing, in time order.

Figures are grouped by scope (figure_scope.py: who is counted, what happened to them, where, over
what period), so a subset ("nine soldiers killed") or a per-city figure never stands beside the
toll. Each series is then read in time order (the day the figure held, then publication time):

- A *cumulative* count (killed, injured, displaced, arrested, missing, ...) only grows while a
  story runs, so a different figure on a later day is a **revision**: up, or down (flagged
  `downward`: a toll revised down is news). "At least 37" then "39" two days later is a revision
  up; "at least 39" after "41" is a lower bound that still allows 41, not a change.
- Any other figure (jobs cut, barrels spilled, money) is one fact that sources estimate: a later
  figure from the *same* source, or one announced as a change ("revised", "rose to", "up from"),
  is a revision; an incompatible figure from *another* source is a **disagreement**.
- Incompatible figures for the same day from different sources are a **disagreement** whatever
  is counted, unless the later one is announced as a change.
- Compatible figures (intervals overlap: "at least 9" and 11 on the same day, "about 40" and 41)
  are an **agreement**.
- A part is never a rival for the whole ("nine soldiers killed" beside "41 people killed" in one
  report is its own series), unless it exceeds it on the same day. A victim group that is the story's
  only one and never appears beside a general count is the toll itself ("six miners killed", then
  "the toll was revised down to four"; "11 protesters killed" against "three people killed").

Hedged figures ("may have been killed", "could not be verified") and vague ones ("dozens") are
listed but never decide the kind or the latest value. A later report repeating an older figure
("It also repeats 37") is marked "restated" and does not move the series. Syndicated copies add
only figures their original does not give (a wire update that changed the toll). Disagreements also become number conflicts.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from wirewatch.model import ArticleAnalysis, Bullet, Claim, Conflict, ConflictValue, FigureSeries, FigureValue, Quantity
from wirewatch.stories.intervals import interval, is_increment
from wirewatch.stories.figure_scope import (
    CUMULATIVE_EVENTS, Scope, figure_date, figure_hedged, figure_source, has_update_cue, holding_claims, main_places,
    period_of, place_of, scope_of,
)

__all__ = ["Observation", "observe", "build_figures", "series_from", "figure_conflicts", "number_conflicts_of",
           "figure_bullets", "format_value", "is_vague", "MAX_FIGURE_BULLETS"]

_EARLIER = re.compile(r"\b(?:from|compared with|compared to|previously|an earlier (?:toll|figure|estimate|count) of|"
                      r"a previous (?:toll|figure|estimate|count) of)\s+(?:the\s+)?(?:about\s+|some\s+|around\s+)?$", re.I)
MAX_FIGURE_BULLETS = 3
MAX_BULLET_VALUES = 6  # values written out in a snapshot bullet; every article is still cited
_EVENT_RANK = {"killed": 0, "missing": 1, "injured": 2, "displaced": 3, "arrested": 4}


@dataclass
class Observation:
    """One quantity ready to be placed in a series: its scope, day, source and doubts."""

    quantity: Quantity
    scope: Scope
    where: str | None = None
    period: str | None = None
    date: str | None = None
    order: str = ""  # publication timestamp: orders figures within a day
    outlet: str | None = None
    group: str = ""  # source group of the article (copies and one outlet are one group)
    source: str | None = None
    hedged: bool = False
    update: bool = False

    @property
    def key(self) -> tuple:
        return (self.scope.who, self.scope.what, self.where, self.period)

    @property
    def source_key(self) -> str:
        if self.source:
            return re.sub(r"^(?:the|a|an)\s+", "", self.source.casefold().strip())
        return "group:" + self.group

    @property
    def point(self) -> float | None:
        """The figure as one number: the value, a range's middle; None for vague amounts ("dozens")."""
        q = self.quantity
        if q.value is not None:
            return float(q.value)
        if not re.search(r"\d", q.text) or q.low is None or q.high is None:
            return None
        return (q.low + q.high) / 2

    @property
    def firm(self) -> bool:
        return not self.hedged and self.point is not None


def observe(analyses: list[ArticleAnalysis], groups_of: dict[str, str], duplicates: dict[str, str]) -> list[Observation]:
    """Every countable quantity of the story's reports, with scope, day, source and doubts.

    A syndicated copy adds only figures its original does not give: a reprint repeats the wire's
    "at least nine", but a wire update ("write-through") that changed the toll to 11 is a new figure.
    """
    main = main_places(analyses)
    dated = sorted(a.article.published for a in analyses if a.article.published)
    start = dated[0] if dated else None
    given = {a.article.id: {q.text for q in a.quantities} for a in analyses}
    out = []
    for a in analyses:
        original = given.get(duplicates.get(a.article.id, ""), set())
        text = a.article.text
        for q in a.quantities:
            if a.article.id in duplicates and (q.text in original or a.article.id not in given):
                continue
            obs = _observation(a, q, text, main, start, groups_of)
            if obs is not None:
                out.append(obs)
    return out


def _observation(a: ArticleAnalysis, q: Quantity, text: str, main: set[str], start: str | None,
                 groups_of: dict[str, str]) -> Observation | None:
    if is_increment(q.text) or interval(q) is None or q.value == 0 or q.high == 0:
        return None  # "two more bodies" adds to a toll; "0 fighters" counts nothing
    if _EARLIER.search(text, max(0, q.start - 40), q.start):
        return None  # "rose to 52 from 37": the 37 is the figure being replaced, not a new one
    holding = holding_claims(q, a.claims)
    if any(c.attribution.source and q.text in c.attribution.source for c in holding):
        return None  # "two aid officials said": the source, not a figure
    scope = scope_of(q, holding[0] if holding else None, text)
    if scope is None:
        return None
    return Observation(
        quantity=q, scope=scope, where=place_of(a, q, main), period=period_of(a, q),
        date=figure_date(a, q, start), order=a.article.published or "", outlet=a.article.outlet,
        group=groups_of.get(a.article.id, a.article.id), source=figure_source(q, holding, text),
        hedged=figure_hedged(q, holding, text), update=has_update_cue(q, text),
    )


def _independent(a: Observation, b: Observation) -> bool:
    """Two figures from different outlets, or two named sources of one report ("the monitor said 39;
    hospital officials said 41"); an outlet's unattributed figure beside a quoted one is its own account."""
    if a.group != b.group:
        return a.source_key != b.source_key
    return bool(a.source and b.source and a.source_key != b.source_key)


def _compatible(a: Observation, b: Observation) -> bool:
    ia, ib = interval(a.quantity), interval(b.quantity)
    return ia is None or ib is None or (ia[0] <= ib[1] and ib[0] <= ia[1])


def _value(q: Quantity):
    if q.value is not None:
        return int(q.value) if float(q.value).is_integer() else q.value
    return q.text


def _num(x: float | None) -> float | None:
    return None if x is None or math.isinf(x) else x


def _figure_value(o: Observation, change: str | None) -> FigureValue:
    q = o.quantity
    return FigureValue(value=_value(q), article=q.article, outlet=o.outlet, date=o.date, source=o.source, text=q.text,
                       quantity=q.id, hedged=o.hedged, low=_num(q.low), high=_num(q.high), change=change)


def series_from(observations: list[Observation]) -> tuple[FigureSeries, list[Observation]]:
    """Read one scope's observations in time order; returns the series and the disagreeing observations."""
    cumulative = observations[0].scope.what in CUMULATIVE_EVENTS
    obs = sorted(observations, key=lambda o: (o.date or "", o.order, o.quantity.article, o.quantity.start))
    kept, seen = [], set()
    for o in obs:
        sig = (o.quantity.article, interval(o.quantity))
        if sig not in seen:
            seen.add(sig)
            kept.append(o)
    current: Observation | None = None
    earlier_points: dict[str, set[float]] = {}  # day -> points given that day
    changes: dict[int, str | None] = {}
    disagreeing: list[Observation] = []
    for i, o in enumerate(kept):
        if not o.firm:
            changes[i] = None
            continue
        day = o.date or ""
        if current is None:
            current, changes[i] = o, None
            earlier_points.setdefault(day, set()).add(o.point)
            continue
        same_day = o.date is None or current.date is None or o.date == current.date
        same_source = o.source_key == current.source_key
        clash = not _compatible(current, o)
        # A running count moves by itself; a one-off figure moves only when its source revises it.
        revising = cumulative or same_source or o.update
        before = {p for d, pts in earlier_points.items() if d != day for p in pts}
        if o.point == current.point:
            change = "same"
        elif o.point in before and not o.update:
            change = "restated"  # an older figure repeated by a later report
        elif clash and _independent(o, current) and not o.update and (same_day or not cumulative):
            change = "rival"
        elif revising and o.point > current.point:
            change = "up"
        elif revising and clash:
            change = "down"
        elif revising:
            change = "same"  # a lower bound or estimate that still allows the current figure
        else:
            change = None  # another source's compatible estimate
        if change == "rival":
            disagreeing += [x for x in (current, o) if x not in disagreeing]
            change = None
            current = o
        elif change in ("up", "down", None) or (change == "same" and o.point >= current.point):
            current = o
        changes[i] = change
        earlier_points.setdefault(day, set()).add(o.point)
    values = [_figure_value(o, changes.get(i)) for i, o in enumerate(kept)]
    moves = [c for c in changes.values() if c in ("up", "down")]
    kind = "disagreement" if disagreeing else "revision" if moves else "agreement"
    latest = _figure_value(current, changes.get(kept.index(current))) if current is not None else values[-1]
    first = next((o for o in kept if o.scope.who == "people"), kept[0])  # a merged series is about people
    scope = {"who": first.scope.who, "what": first.scope.what, "where": first.where, "period": first.period}
    series = FigureSeries(about=_about(first), kind=kind, values=values, latest=latest, scope=scope,
                          downward="down" in moves)
    return series, disagreeing


def _about(o: Observation) -> str:
    about = o.scope.label
    if o.where:
        about += f" in {o.where}"
    if o.period:
        about += f" ({o.period})"
    return about


def _rank(series: FigureSeries, articles: int) -> tuple:
    event = series.scope.get("what")
    return (_EVENT_RANK.get(event, 9 if event not in CUMULATIVE_EVENTS else 5), series.scope.get("period") is not None,
            series.scope.get("where") is not None, -articles, series.about)


def build_figures(analyses: list[ArticleAnalysis], groups_of: dict[str, str],
                  duplicates: dict[str, str]) -> tuple[list[FigureSeries], list[Conflict]]:
    """The story's figure series (most newsworthy first) and the number conflicts of its disagreements.

    A series is kept when two or more reports give the figure, or when it counts casualties
    (a single report's toll is still the toll).
    """
    by_key: dict[tuple, list[Observation]] = {}
    for o in observe(analyses, groups_of, duplicates):
        by_key.setdefault(o.key, []).append(o)
    _merge_lone_victims(by_key)
    ranked = []
    conflicts = []
    exceeded = _subsets_over_total(by_key)
    for key, group in by_key.items():
        articles = len({o.quantity.article for o in group})
        if articles < 2 and group[0].scope.what not in CUMULATIVE_EVENTS:
            continue
        series, disagreeing = series_from(group)
        if key in exceeded:
            series.kind = "disagreement"
            disagreeing += [o for o in exceeded[key] if o not in disagreeing]
        ranked.append((_rank(series, articles), series))
        if disagreeing:
            conflicts.append(figure_conflicts(series.about, disagreeing, group))
    ranked.sort(key=lambda t: t[0])
    return [s for _, s in ranked], conflicts


def _merge_lone_victims(by_key: dict[tuple, list[Observation]]) -> None:
    """Fold a specific victim group into the people count when it is the story's only one and no report
    gives it beside a general count: "six miners killed" then "the death toll was revised down to
    four" is one toll. "Nine soldiers killed" beside "41 people killed" in one report is a part, and
    two groups ("soldiers", "civilians") are a breakdown: those stay apart."""
    specific: dict[tuple, list[tuple]] = {}
    for key in by_key:
        who, what, where, period = key
        if who != "people" and what in CUMULATIVE_EVENTS:
            specific.setdefault((what, where, period), []).append(key)
    for (what, where, period), keys in specific.items():
        if len(keys) != 1:
            continue
        total = ("people", what, where, period)
        part_articles = {o.quantity.article for o in by_key[keys[0]]}
        if any(o.quantity.article in part_articles for o in by_key.get(total, [])):
            continue
        by_key.setdefault(total, []).extend(by_key.pop(keys[0]))


def _subsets_over_total(by_key: dict[tuple, list[Observation]]) -> dict[tuple, list[Observation]]:
    """Totals contradicted by a part: "11 protesters killed" against "three people killed" the same day
    from another source. Maps the total's key to the clashing figures (total and part)."""
    out: dict[tuple, list[Observation]] = {}
    for (who, what, where, period), parts in by_key.items():
        total_key = ("people", what, where, period)
        if who == "people" or what not in CUMULATIVE_EVENTS or total_key not in by_key:
            continue
        for part in (p for p in parts if p.firm):
            for total in (t for t in by_key[total_key] if t.firm):
                same_day = part.date is None or total.date is None or part.date == total.date
                if same_day and _independent(part, total) and interval(part.quantity)[0] > interval(total.quantity)[1]:
                    out.setdefault(total_key, []).extend(x for x in (total, part) if x not in out.get(total_key, []))
    return out


def figure_conflicts(about: str, disagreeing: list[Observation], series: list[Observation] = ()) -> Conflict:
    """A number conflict listing the disagreeing figures, lowest first, with every firm report of the same figures."""
    figures = {interval(o.quantity) for o in disagreeing}
    chosen = list(disagreeing) + [o for o in series if o.firm and interval(o.quantity) in figures and o not in disagreeing]
    values, seen = [], set()
    for o in sorted(chosen, key=lambda o: (interval(o.quantity)[0], o.order, o.quantity.article)):
        if (o.quantity.article, o.quantity.text) not in seen:
            seen.add((o.quantity.article, o.quantity.text))
            values.append(ConflictValue(value=_value(o.quantity), article=o.quantity.article, text=o.quantity.text,
                                        quantity=o.quantity.id))
    return Conflict(about=about, values=values, kind="number")


def number_conflicts_of(quantities: list[Quantity], groups_of: dict[str, str], claims: list[Claim]) -> list[Conflict]:
    """Number conflicts among bare quantities with no dates (all taken as the same time)."""
    claims_by_article: dict[str, list[Claim]] = {}
    for c in claims:
        claims_by_article.setdefault(c.article, []).append(c)
    by_key: dict[tuple, list[Observation]] = {}
    for q in quantities:
        if is_increment(q.text) or interval(q) is None or q.value == 0:
            continue
        holding = holding_claims(q, claims_by_article.get(q.article, []))
        scope = scope_of(q, holding[0] if holding else None)
        if scope is None:
            continue
        o = Observation(quantity=q, scope=scope, group=groups_of.get(q.article, q.article),
                        source=figure_source(q, holding))
        by_key.setdefault(o.key, []).append(o)
    out = []
    for group in by_key.values():
        series, disagreeing = series_from(group)
        if disagreeing:
            out.append(figure_conflicts(series.about, disagreeing))
    return out


def _number(x: float) -> str:
    if x >= 1_000_000_000 and (x % 100_000_000 == 0 or x >= 10_000_000_000):
        return f"{x / 1_000_000_000:g} billion"
    if x >= 1_000_000 and x % 100_000 == 0 or x >= 10_000_000:
        return f"{x / 1_000_000:g} million"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def is_vague(v: FigureValue) -> bool:
    """A figure with no number of its own ("dozens", "tens of thousands"): listed, never decisive."""
    return not isinstance(v.value, (int, float)) and not re.search(r"\d", v.text or "")


def format_value(v: FigureValue) -> str:
    """A figure as people say it: "37+", "~45,000", "3,000-3,500", "dozens"."""
    if not isinstance(v.value, (int, float)):
        if v.low is not None and v.high is not None and re.search(r"\d", v.text or ""):
            return f"{_number(v.low)}\u2013{_number(v.high)}"
        return v.text or str(v.value)
    n = _number(float(v.value))
    if v.low is not None and v.high is None:
        return n + "+"
    if v.high is not None and v.low is None:
        return "up to " + n
    return n


def _day_label(date: str | None) -> str:
    if not date:
        return "undated"
    try:
        day = dt.date.fromisoformat(date[:10])
    except ValueError:
        return date
    return day.strftime("%a %d %b").replace(" 0", " ")


def figure_bullets(series: list[FigureSeries], limit: int = MAX_FIGURE_BULLETS) -> list[Bullet]:
    """One snapshot bullet per main series: its values in time order, each with day, source and outlet.

    Main series are those given by two or more reports that count casualties, move or disagree, most
    newsworthy first (tolls, then other counts).
    """
    bullets = []
    for s in series:
        if len(bullets) == limit:
            break
        firm = [v for v in s.values if not v.hedged and not is_vague(v)]
        if not firm:
            continue
        if len({v.article for v in s.values}) < 2:
            continue  # one report's figure is already in its own sentences
        if s.kind == "agreement" and s.scope.get("what") not in CUMULATIVE_EVENTS:
            continue  # reports agreeing on "23 trucks" is not a main figure; a toll always is
        parts: list[list[str]] = []  # [shown value, its first citation, later reports giving the same value]
        doubts = []
        for v in s.values:
            shown = format_value(v)
            if v.hedged or is_vague(v):
                verb = "claimed" if v.hedged else "said"
                doubts.append(f"{shown} {verb}{' by ' + v.source if v.source else ''} "
                              f"({v.outlet or 'unknown outlet'}, {_day_label(v.date)}; {'unconfirmed' if v.hedged else 'vague'})")
                continue
            if parts and parts[-1][0] == shown:
                parts[-1].append(v.outlet or "unknown outlet")  # the same figure again: cite it, do not repeat it
                continue
            who = ", ".join(x for x in (v.source, v.outlet) if x) or "unattributed"
            note = {"down": ", revised down", "restated": ", repeating an earlier figure"}.get(v.change or "", "")
            parts.append([shown, f"{_day_label(v.date)}, {who}{note}"])
        shown_parts = [f"{p[0]} ({p[1]}{'; also ' + ', '.join(dict.fromkeys(p[2:])) if len(p) > 2 else ''})"
                       for p in parts]
        if len(shown_parts) > MAX_BULLET_VALUES:  # a long series: its first figure and its latest moves
            hidden = len(shown_parts) - MAX_BULLET_VALUES + 1
            shown_parts = shown_parts[:1] + [f"{hidden} more"] + shown_parts[-(MAX_BULLET_VALUES - 2):]
        if len(doubts) > 3:
            doubts = doubts[:3] + [f"{len(doubts) - 3} more unconfirmed"]
        head = {"revision": "revised over time", "disagreement": "sources disagree", "agreement": "sources agree"}[s.kind]
        text = f"{s.about[:1].upper()}{s.about[1:]} ({head}; latest {format_value(s.latest)}): " + " \u2192 ".join(shown_parts)
        if doubts:
            text += "; " + "; ".join(doubts)
        bullets.append(Bullet(text=text, articles=list(dict.fromkeys(v.article for v in s.values)),
                              hedged=False, corroboration=len({v.outlet or v.article for v in firm})))
    return bullets
