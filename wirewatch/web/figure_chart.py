"""A small server-drawn SVG chart of one figure series: its values over time, readable with JavaScript off.

Days run left to right and values bottom to top from zero. A firm figure is a filled dot; a hedged
or vague one is a hollow dot; "at least N" carries an arrow up, "up to N" an arrow down, and a range
is a bar. Firm figures that moved the series are joined by a line. Every mark has a <title> (value,
day, source, outlet) and links to the sentence it comes from. All text comes from articles and is
escaped here; no inline style, so the strict Content-Security-Policy and the mailed report both work.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup

from wirewatch.web.svg import _a, _linked

__all__ = ["ChartPoint", "series_svg"]

WIDTH, HEIGHT = 420, 170
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 18, 34


@dataclass
class ChartPoint:
    """One value to draw: its day, number (or range), how it is shown, and where it links."""

    date: str | None
    value: float | None
    low: float | None
    high: float | None
    label: str
    title: str
    hedged: bool = False
    moved: bool = True  # part of the line of the series' figure (not a restatement)
    href: str | None = None


def _tick(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 10_000:
        return f"{value / 1000:g}k"
    return f"{value:,.0f}"


def series_svg(points: list[ChartPoint], title: str) -> Markup:
    """The chart as inline SVG; an empty chart (no number at all) says so in its title."""
    days = sorted({p.date or "" for p in points})
    nums = [x for p in points for x in (p.value, p.low, p.high) if x is not None and not math.isinf(x)]
    top = max(nums) * 1.15 if nums else 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(date: str | None) -> float:
        i = days.index(date or "")
        return LEFT + (plot_w / 2 if len(days) == 1 else plot_w * i / (len(days) - 1))

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    parts = [f'<svg class="figure-chart" role="img" aria-label="{_a(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">', f"<title>{_a(title)}</title>",
             f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" class="axis" stroke="#999"/>',
             f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" class="axis" stroke="#999"/>']
    for frac in (0.0, 0.5, 1.0):
        v = top / 1.15 * frac
        parts.append(f'<text x="{LEFT - 6}" y="{y_of(v) + 4:.1f}" text-anchor="end" font-size="10" class="tick">{_a(_tick(v))}</text>')
    for day in days:
        parts.append(f'<text x="{x_of(day):.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="10" class="tick">'
                     f'{_a(day[5:10] if day else "undated")}</text>')
    line = [(x_of(p.date), y_of(p.value if p.value is not None else p.low)) for p in points
            if not p.hedged and p.moved and (p.value is not None or p.low is not None)]
    if len(line) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#2a6f97" stroke-width="2" class="series-line"/>')
    on_day: dict[str, int] = {}
    for p in points:
        x = x_of(p.date)
        stack = on_day.get(p.date or "", 0)  # labels of one day stack downwards instead of overprinting
        on_day[p.date or ""] = stack + 1
        if p.value is None and p.low is not None and p.high is not None and not math.isinf(p.high):
            y1, y2 = y_of(p.low), y_of(p.high)
            mark = (f'<line x1="{x:.1f}" y1="{y1:.1f}" x2="{x:.1f}" y2="{y2:.1f}" stroke="#2a6f97" stroke-width="6" '
                    f'class="range{" hedged" if p.hedged else ""}" stroke-opacity="{0.35 if p.hedged else 0.8}"/>')
            y = y2
        elif p.value is not None or p.low is not None:
            v = p.value if p.value is not None else p.low
            y = y_of(v)
            fill = "#fff" if p.hedged else "#2a6f97"
            mark = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="#2a6f97" stroke-width="2" class="pt"/>'
            if p.low is not None and p.high is None:
                mark += f'<path d="M{x - 4:.1f},{y - 8:.1f} L{x:.1f},{y - 14:.1f} L{x + 4:.1f},{y - 8:.1f}" fill="none" stroke="#2a6f97"/>'
            elif p.high is not None and p.low is None:
                mark += f'<path d="M{x - 4:.1f},{y + 8:.1f} L{x:.1f},{y + 14:.1f} L{x + 4:.1f},{y + 8:.1f}" fill="none" stroke="#2a6f97"/>'
        else:
            continue
        right = x > LEFT + plot_w * 0.75  # near the right edge the label goes to the left of its mark
        label_y = min(max(y - 6 + 13 * stack, TOP + 8), TOP + plot_h - 2)
        text = (f'<text x="{x - 8 if right else x + 8:.1f}" y="{label_y:.1f}" text-anchor="{"end" if right else "start"}" '
                f'font-size="11" class="pt-label">{_a(p.label)}</text>')
        parts.append(_linked(p.href, "pt-link", f"<title>{_a(p.title)}</title>{mark}{text}"))
    parts.append("</svg>")
    return Markup("".join(parts))
