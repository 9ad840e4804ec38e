"""A self-contained HTML report of one story or all of them: a single file a journalist can mail.

Same views as the web UI, but every link points inside the file (claims and quantities carry
anchors in an appendix of the cited reports), the CSS is inlined, maps and graphs are inline
SVG, and there is no script at all; a meta Content-Security-Policy forbids scripts and any
network request, so even a viewer that ignored our escaping would run nothing.
"""
from __future__ import annotations

import datetime as _dt
import os
import tempfile

from markupsafe import Markup

from wirewatch.store.base import Store
from wirewatch.web.render import STATIC, render
from wirewatch.web.views import Links, article_markup, safe_url, story_view

REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_EXTRA_CSS = """
.report-head { border-bottom: 2px solid #15202b; margin-bottom: 1rem; }
.story-section { border-top: 3px solid #15202b; margin-top: 2.5rem; padding-top: .5rem; }
.appendix .body { margin-bottom: 1.5rem; }
.appendix .claim:target, .appendix .qty:target { background: #ffe066; box-shadow: 0 0 0 2px #ffe066; }
.appendix article.report-article:target > h3 { background: #ffe066; }
"""


class ReportLinks(Links):
    """Links inside the report file: claims and quantities by anchor, no entity pages."""

    def article(self, article_id: str, span: tuple[int, int] | None = None, anchor: str | None = None) -> str:
        return f"#{anchor}" if anchor else f"#a-{article_id}"

    def entity(self, entity_id: str) -> str | None:
        return None

    def story(self, story_id: str) -> str | None:
        return f"#s-{story_id}"


def render_report(store: Store, story_id: str | None = None) -> str:
    """Return the report HTML for `story_id`, or for every story when None."""
    links = ReportLinks()
    ids = [story_id] if story_id else [s.id for s in store.list_stories()]
    views = [story_view(store, sid, links) for sid in ids]
    appendix = []
    for view in views:
        for article in view.articles:
            analysis = view.analyses[article.id]
            appendix.append((article, article_markup(analysis, links, claim_anchors=True), safe_url(article.url)))
    css = Markup((STATIC / "style.css").read_text(encoding="utf-8") + _EXTRA_CSS)  # our own file, not article data
    title = views[0].story.title if story_id and views else "wirewatch report: all stories"
    return render("report.html", title=title, views=views, links=links, appendix=appendix, css=css, csp=REPORT_CSP,
                  counts=store.counts(), generated=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                  single=bool(story_id))


def write_report(store: Store, path: str, story_id: str | None = None) -> None:
    """Write the report to `path` atomically (a half-written file never replaces a good one)."""
    html = render_report(store, story_id)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".wirewatch-report-", suffix=".html", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(html)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
