"""Render a story for the terminal: title, outlets, cited bullets, figure series, conflicts side by side, timeline.

Plain text with optional click styling; article text is printed as text only (control characters
stripped), never interpreted.
"""
from __future__ import annotations

import re
import textwrap

import click

from wirewatch.errors import NotFoundError
from wirewatch.model import Article, Story
from wirewatch.stories.figures import format_value, is_vague
from wirewatch.stories.origins import independence_label

__all__ = ["render_story"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
WIDTH = 88


def _clean(text: str | None) -> str:
    """Article text made safe for a terminal: no escape sequences or control characters, one line."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def _wrap(text: str, indent: str, first: str = "") -> list[str]:
    return textwrap.wrap(_clean(text), width=WIDTH, initial_indent=indent + first,
                         subsequent_indent=indent + " " * len(first)) or [indent + first]


def render_story(story: Story, store, color: bool = False) -> str:
    """The story as terminal text; citations [n] point to the numbered reports listed under "Reports"."""
    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    articles: dict[str, Article | None] = {}
    for aid in story.articles:
        try:
            articles[aid] = store.get_article(aid)
        except NotFoundError:
            articles[aid] = None
    number = {aid: i + 1 for i, aid in enumerate(story.articles)}

    def cite(ids: list[str]) -> str:
        return "".join(f"[{number[a]}]" for a in dict.fromkeys(ids) if a in number)

    lines = [style(_clean(story.title), bold=True), style(f"story {story.id}", dim=True)]
    span = " to ".join(d for d in dict.fromkeys([story.first_published, story.last_published]) if d)
    meta = f"{len(story.articles)} report(s)"
    if story.outlets:
        meta += " from " + ", ".join(_clean(o) for o in story.outlets)
    if span:
        meta += f"; {span}"
    lines += _wrap(meta, "")
    if story.origins:
        lines += _wrap("Origins: " + "; ".join(f"{o.name} ({o.kind}) {cite(o.articles)}" for o in story.origins), "")
    lines.append("")
    lines.append(style("Snapshot", bold=True, underline=True))
    for bullet in story.snapshot:
        tag = " (hedged)" if bullet.hedged else ""
        tag += " (disputed: see conflicts)" if bullet.disputed else ""
        sources = f" {cite(bullet.articles)} {independence_label(bullet.corroboration, bullet.independent, bullet.origins)}{tag}"
        lines += _wrap(bullet.text + sources, "  ", "- ")
    if not story.snapshot:
        lines.append("  (no statements extracted)")
    lines += _figure_lines(story, cite, style)
    if story.conflicts:
        lines.append("")
        lines.append(style("Conflicts", bold=True, underline=True))
        for conflict in story.conflicts:
            label = "asserted vs denied" if conflict.kind == "denial" else "figures differ"
            lines += _wrap(f"{conflict.about} ({label})", "  ", "! ")
            width = max(len(str(v.value)) for v in conflict.values)
            for v in conflict.values:
                lines += _wrap(f"{str(v.value).ljust(width)}  {cite([v.article])}  \"{_clean(v.text)}\"", "      ")
    if story.timeline:
        lines.append("")
        lines.append(style("Timeline", bold=True, underline=True))
        for entry in story.timeline:
            kind = "claim" if entry.claim else "report"
            lines += _wrap(f"{entry.date[:16]}  {cite([entry.article])} {kind}: {entry.text or ''}", "  ")
    lines.append("")
    lines.append(style("Reports", bold=True, underline=True))
    for aid in story.articles:
        article = articles[aid]
        if article is None:
            lines.append(f"  [{number[aid]}] {aid} (missing)")
            continue
        who = ", ".join(_clean(x) for x in (article.outlet, article.published) if x)
        dup = f"; copy of [{number[article.duplicate_of]}]" if article.duplicate_of in number else ""
        lines += _wrap(f"{_clean(article.title)} ({who or 'unknown outlet'}{dup}) {aid}", "  ", f"[{number[aid]}] ")
    return "\n".join(lines) + "\n"


_KIND = {"revision": "revised over time", "disagreement": "sources disagree", "agreement": "sources agree"}
_CHANGE = {"up": "up", "down": "REVISED DOWN", "restated": "repeats an earlier figure"}


def _figure_lines(story: Story, cite, style) -> list[str]:
    """The figure series given by two or more reports: one line per value, in time order, each cited."""
    shown = [f for f in story.figures if len({v.article for v in f.values}) >= 2]
    if not shown:
        return []
    lines = ["", style("Figures over time", bold=True, underline=True)]
    for f in shown:
        latest = f.latest or f.values[-1]
        head = f"{f.about}: {_KIND.get(f.kind, f.kind)}{', revised down' if f.downward else ''}; " \
               f"latest {format_value(latest)} {cite([latest.article])}"
        lines += _wrap(head, "  ", "# ")
        width = max(len(format_value(v)) for v in f.values)
        for v in f.values:
            notes = [n for n in (_CHANGE.get(v.change or ""), "unconfirmed" if v.hedged else "",
                                 "vague" if is_vague(v) else "") if n]
            who = _clean(v.source) or "unattributed"
            lines += _wrap(f"{(v.date or 'undated')[:10]}  {format_value(v).ljust(width)}  {cite([v.article])} {who}"
                           f"{' (' + '; '.join(notes) + ')' if notes else ''}: \"{_clean(v.text)}\"", "      ")
    return lines
