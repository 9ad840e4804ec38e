"""Exports of the store (or one story) for other tools: JSON Lines, CSV claims, GeoJSON, GraphML, FtM.

JSON Lines carries whole analyses (jq, scripts); CSV is the claims table for spreadsheets, with
formula-looking cells defused; GeoJSON is for QGIS; GraphML is the actor network for Gephi;
FollowTheMoney (export/ftm.py) is for Aleph.
"""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from wirewatch.errors import NotFoundError, WirewatchError
from wirewatch.stories.graph import actor_edges
from wirewatch.model import Article, ArticleAnalysis, Claim, Entity
from wirewatch.store.base import Store

FORMATS = ("jsonl", "csv", "geojson", "graphml", "ftm")
CSV_COLUMNS = ("id", "article", "outlet", "published", "story", "predicate", "subject", "object",
               "attribution_kind", "attribution_source", "hedged", "negated", "corroboration", "start", "end", "text")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 forbids most control characters even escaped; article text may carry them.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


@dataclass
class Selection:
    """The analyses to export (all, or one story's) and the entities they mention, resolved once."""

    analyses: list[ArticleAnalysis]
    stories: dict[str, str | None]
    entities: dict[str, Entity] = field(default_factory=dict)

    @property
    def claims(self) -> list[Claim]:
        return [c for a in self.analyses for c in a.claims]

    @property
    def articles(self) -> dict[str, Article]:
        return {a.article.id: a.article for a in self.analyses}

    def name(self, ref: str | None) -> str:
        """An entity's name for a claim's subject/object id, or the words as written."""
        if not ref:
            return ""
        entity = self.entities.get(ref)
        return entity.name if entity else ref


def select(store: Store, story_id: str | None = None) -> Selection:
    """Gather what to export: every article, or the articles of `story_id` (NotFoundError if unknown)."""
    wanted = set(store.get_story(story_id).articles) if story_id else None
    analyses = [a for a in store.iter_analyses() if wanted is None or a.article.id in wanted]
    stories = {a.article.id: store.story_of_article(a.article.id) for a in analyses}
    selection = Selection(analyses=analyses, stories=stories)
    ids = {e.id for a in analyses for e in a.entities}
    ids |= {ref for c in selection.claims for ref in (c.subject, c.object) if ref}
    for entity_id in sorted(ids):
        try:
            entity = store.get_entity(entity_id)
        except NotFoundError:
            continue  # a subject written as words, not an entity id
        if wanted is not None:
            entity.mentions = [m for m in entity.mentions if m.article in wanted]
        selection.entities[entity.id] = entity
    return selection


def to_jsonl(selection: Selection) -> str:
    """One JSON object per article: its analysis (text included) and the story it belongs to."""
    lines = []
    for analysis in selection.analyses:
        record = analysis.to_dict(with_text=True)
        record["story"] = selection.stories.get(analysis.article.id)
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=False))
    return "".join(line + "\n" for line in lines)


def defuse_cell(value: object) -> str:
    """Render a CSV cell; text a spreadsheet would run as a formula gets a leading quote."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(selection: Selection) -> str:
    """The claims table: one row per claim with its article, story, actors, attribution and flags."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    articles = selection.articles
    for claim in selection.claims:
        article = articles.get(claim.article)
        row = (claim.id, claim.article, article.outlet if article else None, article.published if article else None,
               selection.stories.get(claim.article), claim.predicate, selection.name(claim.subject),
               selection.name(claim.object), claim.attribution.kind, claim.attribution.source,
               str(claim.hedged).lower(), str(claim.negated).lower(),
               "" if claim.corroboration is None else claim.corroboration, claim.start, claim.end, claim.text)
        writer.writerow([defuse_cell(v) for v in row])
    return out.getvalue()


def to_geojson_text(selection: Selection) -> str:
    """GeoJSON FeatureCollection of the geocoded places (built by wirewatch.export.geojson)."""
    from wirewatch.export.geojson import to_geojson

    document = to_geojson(list(selection.entities.values()), selection.claims, list(selection.articles.values()))
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _xml_text(value: object) -> str:
    return _XML_INVALID.sub("\ufffd", "" if value is None else str(value))


def to_graphml(selection: Selection) -> str:
    """Entities as nodes (name, type, roles) and claims' actor edges (wirewatch.stories.graph) as directed edges."""
    ET.register_namespace("", GRAPHML_NS)
    q = lambda tag: f"{{{GRAPHML_NS}}}{tag}"  # noqa: E731 - namespaced tag name
    root = ET.Element(q("graphml"))
    keys = [("name", "node", "string"), ("type", "node", "string"), ("roles", "node", "string"),
            ("mentions", "node", "int"), ("predicate", "edge", "string"), ("claim", "edge", "string"),
            ("article", "edge", "string"), ("outlet", "edge", "string"), ("text", "edge", "string"),
            ("hedged", "edge", "boolean"), ("negated", "edge", "boolean"), ("attribution", "edge", "string"),
            ("sector", "node", "string"), ("plover", "edge", "string"), ("date", "edge", "string"),
            ("place", "edge", "string")]
    for name, domain, kind in keys:
        ET.SubElement(root, q("key"), {"id": f"{domain[0]}_{name}", "for": domain, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, q("graph"), {"id": "wirewatch", "edgedefault": "directed"})

    def data(parent: ET.Element, key: str, value: object) -> None:
        ET.SubElement(parent, q("data"), {"key": key}).text = _xml_text(value)

    for entity in sorted(selection.entities.values(), key=lambda e: e.id):
        node = ET.SubElement(graph, q("node"), {"id": _xml_text(entity.id)})
        data(node, "n_name", entity.name)
        data(node, "n_type", entity.type)
        data(node, "n_roles", "; ".join(entity.roles))
        data(node, "n_mentions", len(entity.mentions))
        data(node, "n_sector", entity.sector or "")
    articles = selection.articles
    for link in actor_edges(selection.analyses, include_negated=True):
        if link.source not in selection.entities or link.target not in selection.entities:
            continue
        claim = link.claim
        edge = ET.SubElement(graph, q("edge"), {"id": _xml_text(f"{claim.id}-{link.target}"),
                                                "source": _xml_text(link.source), "target": _xml_text(link.target)})
        article = articles.get(claim.article)
        data(edge, "e_predicate", claim.predicate)
        data(edge, "e_claim", claim.id)
        data(edge, "e_article", claim.article)
        data(edge, "e_outlet", article.outlet if article else "")
        data(edge, "e_text", claim.text)
        data(edge, "e_hedged", str(claim.hedged).lower())
        data(edge, "e_negated", str(claim.negated).lower())
        data(edge, "e_attribution", claim.attribution.kind + (f": {claim.attribution.source}" if claim.attribution.source else ""))
        data(edge, "e_plover", claim.plover or "")
        data(edge, "e_date", claim.date or "")
        data(edge, "e_place", selection.name(claim.place))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _to_ftm(selection: Selection) -> str:
    from wirewatch.export.ftm import to_ftm  # followthemoney is an optional extra, imported on use

    return to_ftm(selection)


_WRITERS = {"jsonl": to_jsonl, "csv": to_csv, "geojson": to_geojson_text, "graphml": to_graphml, "ftm": _to_ftm}


def export_store(store: Store, fmt: str, story_id: str | None = None) -> str:
    """Export the whole store, or one story, as text in `fmt` (one of FORMATS)."""
    if fmt not in _WRITERS:
        raise WirewatchError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return _WRITERS[fmt](select(store, story_id))
