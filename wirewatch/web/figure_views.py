"""Figure series of a story as the story page and the report show them: a chart and a cited table per series."""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from wirewatch.model import Article, ArticleAnalysis, FigureSeries, FigureValue
from wirewatch.stories.figures import format_value, is_vague
from wirewatch.web.figure_chart import ChartPoint, series_svg

__all__ = ["FigureRow", "FigureView", "figure_views", "MAX_FIGURE_VIEWS"]

MAX_FIGURE_VIEWS = 6
KIND_LABELS = {"revision": "revised over time", "disagreement": "sources disagree", "agreement": "sources agree"}
CHANGE_LABELS = {"up": "revised up", "down": "revised down", "same": "", "restated": "repeats an earlier figure"}


@dataclass
class FigureRow:
    """One value of a series: shown value, day, who gave it, the citing outlet and its link, the quote."""

    value: str
    date: str
    source: str | None
    outlet: str
    href: str
    text: str
    hedged: bool
    change: str
    vague: bool = False


@dataclass
class FigureView:
    """A series: what is counted, its kind, the latest value and its citation, the chart and the rows."""

    about: str
    kind: str
    kind_label: str
    downward: bool
    latest: str
    latest_href: str | None
    latest_outlet: str
    chart: Markup
    rows: list[FigureRow] = field(default_factory=list)


def _href(links, analyses: dict[str, ArticleAnalysis], v: FigureValue) -> str:
    analysis = analyses.get(v.article)
    span = None
    if analysis is not None:
        span = next(((q.start, q.end) for q in analysis.quantities if q.id == v.quantity), None)
    return links.article(v.article, span, f"q-{v.quantity}" if v.quantity else None)


def _outlet(by_id: dict[str, Article], v: FigureValue) -> str:
    article = by_id.get(v.article)
    return v.outlet or (article.title if article else v.article)


def figure_views(series: list[FigureSeries], analyses: dict[str, ArticleAnalysis], by_id: dict[str, Article],
                 links) -> list[FigureView]:
    """Views of the series given by two or more reports (the main ones), most newsworthy first."""
    out = []
    for s in series:
        if len({v.article for v in s.values}) < 2:
            continue
        rows, points = [], []
        for v in s.values:
            href = _href(links, analyses, v)
            shown = format_value(v)
            rows.append(FigureRow(value=shown, date=v.date or "undated", source=v.source, outlet=_outlet(by_id, v),
                                  href=href, text=v.text, hedged=v.hedged, change=CHANGE_LABELS.get(v.change or "", ""),
                                  vague=is_vague(v)))
            number = float(v.value) if isinstance(v.value, (int, float)) else None
            who = ", ".join(x for x in (v.source, _outlet(by_id, v)) if x)
            points.append(ChartPoint(date=v.date, value=number, low=v.low, high=v.high, label=shown,
                                     title=f"{shown} on {v.date or 'an unknown day'} ({who}){' - unconfirmed' if v.hedged else ''}",
                                     hedged=v.hedged or is_vague(v), moved=v.change != "restated", href=href))
        latest = s.latest or s.values[-1]
        out.append(FigureView(about=s.about, kind=s.kind, kind_label=KIND_LABELS.get(s.kind, s.kind), downward=s.downward,
                              latest=format_value(latest), latest_href=_href(links, analyses, latest),
                              latest_outlet=_outlet(by_id, latest), chart=series_svg(points, f"{s.about} over time"),
                              rows=rows))
        if len(out) == MAX_FIGURE_VIEWS:
            break
    return out
