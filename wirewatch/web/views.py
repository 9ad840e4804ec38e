"""What the pages and the report show, assembled from the store: plain view objects, no HTML.

The web UI and the self-contained report render the same views; only the `Links` differ
(server routes versus anchors inside one file).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlsplit

from markupsafe import Markup

from wirewatch.errors import NotFoundError
from wirewatch.stories.graph import story_edges
from wirewatch.stories.origins import independence_label
from wirewatch.model import Article, ArticleAnalysis, Claim, Entity, Story
from wirewatch.store import SNIPPET_CLOSE, SNIPPET_OPEN, Store
from wirewatch.web import marks
from wirewatch.web.figure_views import FigureView, figure_views
from wirewatch.web.geoshapes import load_countries
from wirewatch.web.svg import GraphEdge, GraphNode, MapPoint, graph_svg, map_svg

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_GRAPH_NODES = 18
MAX_MAP_POINTS = 30


def safe_url(url: str | None) -> str | None:
    """Return `url` when it is an absolute http(s) link, else None (no javascript:, data:, relative)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in url for c in "\"'<>` \t\r\n"):
        return None
    return url


def snippet_markup(snippet: str) -> Markup:
    """Escape a search snippet, then turn the store's match markers into <mark> tags."""
    snippet = snippet.replace("\ue000", "").replace("\ue001", "")  # our own placeholders, never from the text
    text = escape(snippet.replace(SNIPPET_OPEN, "\ue000").replace(SNIPPET_CLOSE, "\ue001"), quote=False)
    text = _CONTROL.sub("", text).replace("\ue000", "<mark>").replace("\ue001", "</mark>")
    if text.count("<mark>") != text.count("</mark>"):
        text = text.replace("<mark>", "").replace("</mark>", "")
    return Markup(text)


def snippet_plain(snippet: str) -> str:
    """A search snippet without match markers or control characters (for JSON)."""
    return _CONTROL.sub("", snippet.replace(SNIPPET_OPEN, "").replace(SNIPPET_CLOSE, ""))


class Links:
    """Where things live in the web UI; the report overrides these with in-file anchors."""

    def article(self, article_id: str, span: tuple[int, int] | None = None, anchor: str | None = None) -> str:
        """Link to an article, highlighting `span`; `anchor` names the claim/quantity mark (used in reports)."""
        if span:
            return f"/articles/{article_id}?hl={span[0]}-{span[1]}#hl"
        return f"/articles/{article_id}"

    def entity(self, entity_id: str) -> str | None:
        return f"/entities/{entity_id}"

    def story(self, story_id: str) -> str | None:
        return f"/stories/{story_id}"


@dataclass
class Ref:
    """A link target shown as text: a label and an href (None when there is nothing to open)."""

    label: str
    href: str | None = None
    note: str | None = None


@dataclass
class ClaimView:
    """A claim with its subject, object and source resolved to names and links."""

    claim: Claim
    article: Article | None
    href: str
    subject: Ref | None
    object: Ref | None
    story: Ref | None = None


@dataclass
class BulletView:
    """A snapshot bullet and its citations (one per supporting article, at the claim's span)."""

    text: str
    hedged: bool
    corroboration: int
    citations: list[Ref]
    independence: str = ""  # "7 outlets, 1 origin: Reuters investigation"
    disputed: bool = False


@dataclass
class ConflictView:
    """What sources disagree about, with each side's value, outlet and quote."""

    about: str
    kind: str
    values: list[tuple[str, Ref, str | None]]


@dataclass
class EdgeView:
    """One edge of the actor graph as listed under it: who acts on whom, how, and who says so."""

    source: str
    target: str
    types: str
    citations: list[Ref]


@dataclass
class StoryView:
    """Everything a story page or report section shows."""

    story: Story
    articles: list[Article]
    bullets: list[BulletView]
    claims: list[ClaimView]
    conflicts: list[ConflictView]
    timeline: list[tuple[str, Ref, str | None]]
    places: list[Ref]
    graph: Markup
    graph_empty: bool
    map: Markup
    map_has_outlines: bool
    analyses: dict[str, ArticleAnalysis] = field(default_factory=dict)
    figures: list[FigureView] = field(default_factory=list)
    edges: list[EdgeView] = field(default_factory=list)


def outlet_label(article: Article | None) -> str:
    """How an article is named in citations: its outlet, else its title."""
    if article is None:
        return "unknown article"
    return article.outlet or article.title or article.id


class EntityNames:
    """Resolve claim subjects/objects (entity ids, or words as written) to labelled links, with a cache."""

    def __init__(self, store: Store, links: Links, known: dict[str, Entity] | None = None):
        self.store, self.links = store, links
        self.known: dict[str, Entity | None] = dict(known or {})

    def entity(self, ref: str | None) -> Entity | None:
        if not ref or any(c.isspace() for c in ref) or len(ref) > 64:
            return None
        if ref not in self.known:
            try:
                self.known[ref] = self.store.get_entity(ref)
            except NotFoundError:
                self.known[ref] = None
        return self.known[ref]

    def ref(self, value: str | None) -> Ref | None:
        if not value:
            return None
        entity = self.entity(value)
        if entity is None:
            return Ref(label=value)
        return Ref(label=entity.name, href=self.links.entity(entity.id), note=entity.type)


def claim_view(claim: Claim, article: Article | None, names: EntityNames, links: Links, story: Ref | None = None) -> ClaimView:
    """Resolve one claim for display."""
    return ClaimView(claim=claim, article=article, href=links.article(claim.article, (claim.start, claim.end), f"c-{claim.id}"),
                     subject=names.ref(claim.subject), object=names.ref(claim.object), story=story)


def _span_of(analysis: ArticleAnalysis | None, claim_id: str | None, quantity_id: str | None) -> tuple[int, int] | None:
    if analysis is None:
        return None
    for q in analysis.quantities:
        if quantity_id and q.id == quantity_id:
            return (q.start, q.end)
    for c in analysis.claims:
        if claim_id and c.id == claim_id:
            return (c.start, c.end)
    return None


def _actor_graph(analyses: list[ArticleAnalysis], entities: dict[str, Entity], links: Links,
                 by_id: dict[str, Article] | None = None) -> tuple[Markup, bool, list[EdgeView]]:
    """The graph drawing, whether it has no edge, and the edges with their citations."""
    claims = [c for a in analyses for c in a.claims]
    story = [e for e in story_edges(analyses) if e.source in entities and e.target in entities]
    degree: Counter = Counter()
    for edge in story:
        degree[edge.source] += edge.count
        degree[edge.target] += edge.count
    empty = not story
    if empty:  # still show the actors, so the reader sees who the claims are about
        degree = Counter(c.subject for c in claims if c.subject in entities)
    chosen = sorted(degree, key=lambda e: (-degree[e], entities[e].name, e))[:MAX_GRAPH_NODES]
    chosen.sort(key=lambda e: (entities[e].type, entities[e].name, e))  # stable circle order by type, then name
    nodes = [GraphNode(id=e, label=entities[e].name, type=entities[e].type, href=links.entity(e)) for e in chosen]
    keep = set(chosen)
    edges, views = [], []
    for edge in sorted(story, key=lambda e: (e.source, e.target)):
        first = edge.claims[0]
        href = links.article(first.article, (first.start, first.end), f"c-{first.id}")
        if edge.source in keep and edge.target in keep:
            edges.append(GraphEdge(source=edge.source, target=edge.target, labels=[k for k, _ in edge.types()],
                                   count=edge.count, href=href))
        cites = [Ref(label=outlet_label((by_id or {}).get(c.article)), href=links.article(c.article, (c.start, c.end), f"c-{c.id}"),
                     note=c.text) for c in edge.claims]
        views.append(EdgeView(source=entities[edge.source].name, target=entities[edge.target].name,
                              types=", ".join(f"{k} ×{n}" if n > 1 else k for k, n in edge.types()), citations=cites))
    views.sort(key=lambda v: -len(v.citations))
    return graph_svg(nodes, edges, title="Who acts on whom"), empty, views


def _places(analyses: dict[str, ArticleAnalysis], links: Links) -> list[tuple[Entity, int]]:
    weights: Counter = Counter()
    places: dict[str, Entity] = {}
    for analysis in analyses.values():
        for entity in analysis.entities:
            # A place used only as an actor ("Moscow said") is linked, but is no pin on the map.
            if entity.geo is not None and entity.geo.literal:
                places[entity.id] = entity
                weights[entity.id] += max(len(entity.mentions), 1)
    ranked = sorted(places, key=lambda e: (-weights[e], places[e].name, e))[:MAX_MAP_POINTS]
    return [(places[e], weights[e]) for e in ranked]


def story_view(store: Store, story_id: str, links: Links | None = None) -> StoryView:
    """Assemble a story page from the store; raises NotFoundError for an unknown id."""
    links = links or Links()
    story = store.get_story(story_id)
    analyses: dict[str, ArticleAnalysis] = {}
    for article_id in story.articles:
        try:
            analyses[article_id] = store.get_analysis(article_id)
        except NotFoundError:
            continue
    articles = sorted((a.article for a in analyses.values()), key=lambda a: (a.published or "", a.id))
    by_id = {a.id: a for a in articles}
    entities = {e.id: e for a in analyses.values() for e in a.entities}
    claims = {c.id: c for a in analyses.values() for c in a.claims}
    names = EntityNames(store, links, entities)

    bullets = []
    for bullet in story.snapshot:
        cites: list[Ref] = []
        cited_articles: set[str] = set()
        for claim_id in bullet.claims:
            claim = claims.get(claim_id)
            if claim is None or claim.article in cited_articles:
                continue
            cited_articles.add(claim.article)
            cites.append(Ref(label=outlet_label(by_id.get(claim.article)),
                             href=links.article(claim.article, (claim.start, claim.end), f"c-{claim.id}"), note=claim.text))
        for article_id in bullet.articles:
            if article_id not in cited_articles:
                cited_articles.add(article_id)
                cites.append(Ref(label=outlet_label(by_id.get(article_id)), href=links.article(article_id)))
        bullets.append(BulletView(text=bullet.text, hedged=bullet.hedged, corroboration=bullet.corroboration, citations=cites,
                                  independence=independence_label(bullet.corroboration, bullet.independent, bullet.origins),
                                  disputed=bullet.disputed))

    order = {a.id: i for i, a in enumerate(articles)}
    claim_views = [claim_view(c, by_id.get(c.article), names, links)
                   for c in sorted(claims.values(), key=lambda c: (-(c.corroboration or 1), order.get(c.article, 0), c.start))]

    conflicts = []
    for conflict in story.conflicts:
        values = []
        for v in conflict.values:
            span = _span_of(analyses.get(v.article), v.claim, v.quantity)
            anchor = f"q-{v.quantity}" if v.quantity else f"c-{v.claim}" if v.claim else None
            ref = Ref(label=outlet_label(by_id.get(v.article)), href=links.article(v.article, span, anchor))
            values.append((str(v.value), ref, v.text))
        conflicts.append(ConflictView(about=conflict.about, kind=conflict.kind, values=values))

    timeline = []
    for entry in sorted(story.timeline, key=lambda t: (t.date, t.article)):
        claim = claims.get(entry.claim) if entry.claim else None
        href = links.article(entry.article, (claim.start, claim.end) if claim else None, f"c-{claim.id}" if claim else None)
        timeline.append((entry.date, Ref(label=outlet_label(by_id.get(entry.article)), href=href), entry.text))

    graph, graph_empty, edge_views = _actor_graph(list(analyses.values()), entities, links, by_id)
    place_list = _places(analyses, links)
    points = [MapPoint(label=e.name, lat=e.geo.lat, lon=e.geo.lon, weight=w, href=links.entity(e.id)) for e, w in place_list]
    countries = load_countries()
    return StoryView(
        story=story, articles=articles, bullets=bullets, claims=claim_views, conflicts=conflicts, timeline=timeline,
        places=[Ref(label=e.name, href=links.entity(e.id), note=f"{e.geo.lat:.2f}, {e.geo.lon:.2f}") for e, _ in place_list],
        graph=graph, graph_empty=graph_empty, map=map_svg(points, countries, title=f"Places in: {story.title}"),
        map_has_outlines=bool(countries), analyses=analyses,
        figures=figure_views(story.figures, analyses, by_id, links), edges=edge_views,
    )


def article_markup(analysis: ArticleAnalysis, links: Links, highlight: tuple[int, int] | None = None,
                   claim_anchors: bool = False) -> Markup:
    """The article body with the highlight, claims, entity mentions and quantities marked.

    With `claim_anchors`, claims and quantities get ids (c-ID, q-ID) so a report can link to them.
    """
    a = marks.attr
    hl = [marks.Span(highlight[0], highlight[1], '<mark id="hl" class="hl" tabindex="-1">', "</mark>")] if highlight else []
    claim_spans = []
    for c in analysis.claims:
        flags = " ".join(f for f, on in (("hedged", c.hedged), ("negated", c.negated)) if on)
        ident = f' id="c-{a(c.id)}"' if claim_anchors else ""
        claim_spans.append(marks.Span(c.start, c.end, f'<span class="claim {flags}"{ident} title="{a(c.predicate)}">', "</span>",
                                      key=c.id))
    inner = []
    for entity in analysis.entities:
        href = links.entity(entity.id)
        for m in entity.mentions:
            if m.article != analysis.article.id:
                continue
            if href:
                inner.append(marks.Span(m.start, m.end, f'<a class="ent ent-{a(entity.type)}" href="{a(href)}" '
                                                        f'title="{a(entity.type)}: {a(entity.name)}">', "</a>"))
            else:
                inner.append(marks.Span(m.start, m.end, f'<span class="ent ent-{a(entity.type)}" title="{a(entity.type)}: {a(entity.name)}">', "</span>"))
    for q in analysis.quantities:
        what = " ".join(str(x) for x in (q.value if q.value is not None else "?", q.unit or "", q.counted or "") if x != "")
        ident = f' id="q-{a(q.id)}"' if claim_anchors else ""
        inner.append(marks.Span(q.start, q.end, f'<span class="qty"{ident} title="{a(what)}">', "</span>", key=q.id))
    layers = [hl, claim_spans, inner]
    points = []
    if claim_anchors:  # a claim overlapping another is not marked, but links to it must still land
        kept = {span.key for span, _ in marks.nest(layers, len(analysis.article.text))}
        points = [(c.start, f'<span class="anchor" id="c-{a(c.id)}"></span>') for c in analysis.claims if c.id not in kept]
        points += [(q.start, f'<span class="anchor" id="q-{a(q.id)}"></span>') for q in analysis.quantities if q.id not in kept]
    return marks.render(analysis.article.text, layers, points)
