"""Origins: the original sources a story's reports rely on, and how many independent ones carry a claim.

Ten outlets repeating one wire story, or retelling one agency's investigation, are one origin, not
ten confirmations. An article relies on:

- the original of a syndicated copy (`Article.duplicate_of`, set at ingest) or a wire named in its
  byline ("By Northwind Wire" in another outlet's page): kind "wire";
- an outlet or agency credited for the reporting: "a Reuters investigation found", "according to
  AP", "as first reported by The Times", "Reuters reported": kind "outlet" (its investigation or
  report when the text says so: "Reuters investigation");
- the reports in its trailing "Sources:" list (`Article.cited_sources`): a cited title of another
  report of the story points to that report, whose own origins it inherits; other entries are named
  as written (a URL by its host): kind "cited".

A claim attributed to an organization or official body ("the Levant Monitoring Network said at least
37 were killed", "the army denied ...") relies on that body: kind "monitor" or "official", linked to
its entity when the attribution is. Such bodies are listed as story origins when they are the source
of a counted figure or of claims in two or more reports.

`independent` of a claim is the number of distinct origins among the reports carrying its group: a
report with nothing to trace back counts as its own (its source group: one outlet, copies folded).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from wirewatch.model import ArticleAnalysis, Claim, Origin

__all__ = ["OriginIndex", "find_origins", "credits", "independence", "independence_label", "WIRE_AGENCIES"]

# Wire services and news agencies: broad, public knowledge, matched as whole names.
WIRE_AGENCIES = frozenset({
    "reuters", "associated press", "ap", "afp", "agence france-presse", "agence france presse", "bloomberg",
    "dpa", "efe", "ansa", "anadolu", "anadolu agency", "xinhua", "tass", "ria novosti", "interfax", "kyodo",
    "kyodo news", "yonhap", "pti", "press trust of india", "united press international", "upi", "aap",
    "australian associated press", "canadian press", "the canadian press", "pa media", "press association",
    "europa press", "sana", "irna", "wafa", "ukrinform", "bernama", "antara", "apa",
})
_OUTLET_WORDS = frozenset({
    "news", "times", "post", "journal", "press", "wire", "herald", "daily", "tribune", "guardian", "gazette",
    "telegraph", "observer", "agency", "chronicle", "dispatch", "ledger", "bulletin", "review",
    "economist", "independent", "express", "mail", "mirror", "star", "sun", "record", "courier", "standard",
    "television", "tv", "radio", "broadcasting", "network", "media", "magazine", "bbc", "cnn", "nbc", "abc", "cbs",
    "pbs", "npr", "sky", "al jazeera", "politico", "axios", "insider", "eye", "today", "weekly", "report",
})
_MONITOR_WORDS = frozenset({
    "observatory", "monitor", "monitoring", "watch", "tracker", "project", "network", "centre", "center",
    "institute", "committee", "council", "commission", "union", "federation", "association", "forum",
    "coalition", "foundation", "society", "group", "organization", "organisation", "ngo", "crescent", "cross",
    "msf", "unicef", "unhcr", "ocha", "who", "acled", "amnesty", "iom",
})
_MONITOR_HEADS = frozenset({"observatory", "monitor", "monitoring", "watch", "tracker", "project"})
_REPORT_NOUNS = r"investigation|report|reporting|analysis|review|probe|inquiry|findings|exclusive|expos[eé]|story|tally|count|data|documents|survey|assessment"
_WORD = r"[A-Z](?:[\w&'\u2019\-]|\.(?=\w))*"  # inner dots ("U.N") but never a sentence end
_NAME = r"(" + _WORD + r"(?:[ \t]+(?:(?:of|for|and|on|de|del|the|&)[ \t]+)?" + _WORD + r"){0,6})"
_DET = r"(?:(?:a|an|the|The|A|An)\s+)?"
_CREDIT_PATTERNS = (
    # "according to a Reuters investigation", "as first reported by AP", "citing the Wall Street Journal"
    re.compile(r"(?i:\baccording\s+to|\bciting|\bas\s+(?:first\s+)?reported\s+by|\bfirst\s+reported\s+by|"
               r"\breported\s+first\s+by|\bpublished\s+by|\bobtained\s+by|\brevealed\s+by|\buncovered\s+by|"
               r"\bcredited\s+to|\b(?:an?|the)\s+(?:investigation|report|analysis|review)\s+(?:by|from))\s+"
               + _DET + _NAME + r"(?:'s|\u2019s)?(?:\s+(" + _REPORT_NOUNS + r"))?"),
    # "a Reuters investigation found", "The Levant Monitoring Network's tally"
    re.compile(r"\b" + _DET + _NAME + r"(?:'s|\u2019s)?\s+(?i:(" + _REPORT_NOUNS + r"))\b"),
    # "Reuters reported", "The Times first revealed"
    re.compile(r"\b" + _DET + _NAME + r"\s+(?i:(?:first\s+|previously\s+|earlier\s+)?(?:reported|revealed|disclosed|"
               r"uncovered|found|broke\s+the\s+story|published))\b"),
)
_LEAD_STOP = frozenset({"the", "a", "an", "this", "that", "these", "those", "it", "he", "she", "they", "we", "in",
                        "on", "at", "but", "and", "as", "after", "before", "when", "while", "an", "its", "his",
                        "her", "their", "our", "one", "two", "monday", "tuesday", "wednesday", "thursday",
                        "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
                        "july", "august", "september", "october", "november", "december", "officials", "police"})
_ORG_KINDS = frozenset({"organization", "group"})


def _fold(name: str) -> str:
    name = re.sub(r"['\u2019]s$", "", name.strip())
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
    return re.sub(r"\s+", " ", name).strip(" .,;:").casefold()


def _host(url: str) -> str | None:
    host = urlparse(url).hostname if re.match(r"https?://", url.strip(), re.I) else None
    if not host:
        return None
    host = re.sub(r"^(?:www|m|amp|edition)\.", "", host)
    return host


@dataclass
class _Credit:
    org: str  # the organization as named ("Reuters")
    name: str  # what it is credited with, for display ("Reuters investigation")
    kind: str
    start: int
    entity: str | None = None


def _org_entity(analysis: ArticleAnalysis, start: int, end: int) -> tuple[str | None, str | None]:
    """(entity id, type) of the entity mention overlapping [start, end) with the largest overlap."""
    best = (0, None, None)
    for e in analysis.entities:
        for m in e.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if m.article in (analysis.article.id, "", None) and overlap > best[0]:
                best = (overlap, e.id, e.type)
    return best[1], best[2]


def _source_kind(name: str, outlets: set[str]) -> str | None:
    """outlet / wire / monitor for a credited name, None when it does not name a source organization."""
    folded = _fold(name)
    words = set(folded.split())
    if folded in WIRE_AGENCIES:
        return "wire"
    if folded in outlets:
        return "outlet"
    if words & _MONITOR_HEADS:
        return "monitor"
    if words & _OUTLET_WORDS:
        return "outlet"
    if words & _MONITOR_WORDS:
        return "monitor"
    return None


def credits(analysis: ArticleAnalysis, outlets: set[str]) -> list[_Credit]:
    """Sources an article credits for its reporting, found in its text (its own outlet excluded)."""
    text = analysis.article.text
    own = _fold(analysis.article.outlet or "")
    found: dict[str, _Credit] = {}
    for pattern in _CREDIT_PATTERNS:
        for m in pattern.finditer(text):
            name = m.group(1).strip()
            words = name.split()
            while words and words[0].casefold() in _LEAD_STOP:
                words = words[1:]
            if not words:
                continue
            name = " ".join(words)
            start = m.start(1) + m.group(1).index(words[0])
            entity, etype = _org_entity(analysis, start, start + len(name))
            kind = _source_kind(name, outlets)
            if etype == "person" or (kind is None and etype not in _ORG_KINDS):
                continue  # "John Smith reported": a person's account is a claim attribution, not a credit
            folded = _fold(name)
            if not folded or folded == own:
                continue
            noun = (m.group(2) or "").casefold() if m.lastindex and m.lastindex >= 2 else ""
            if kind not in ("wire", "outlet") and noun not in _CREDITED_WORK:
                continue  # "according to the monitor": that claim's attribution, not the report's origin
            shown = f"{name} {noun}" if noun in _CREDITED_WORK else name
            key = folded
            if key not in found or (shown != name and found[key].name == found[key].org):
                found[key] = _Credit(org=name, name=shown, kind=kind or "monitor", start=start, entity=entity)
    return list(found.values())


_CREDITED_WORK = frozenset({"investigation", "probe", "inquiry", "analysis", "review", "report", "findings"})
_REPORT_HEADS = frozenset({"investigation", "report", "reporting", "analysis", "review", "probe", "inquiry",
                           "findings", "records", "record", "documents", "document", "data", "files", "story",
                           "update", "bulletin", "statement", "figures", "tally", "count"})
_VAGUE_OFFICIALS = frozenset({"officials", "official", "authorities", "sources", "spokesman", "spokeswoman",
                              "spokesperson", "officers", "diplomats", "lawmakers"})
_AGENCY_ANAPHORS = frozenset({"agency", "news agency", "wire service", "newspaper", "paper", "outlet", "broadcaster"})


def _head(phrase: str) -> str:
    """The head noun of a source phrase: its last word before any prepositional tail."""
    head = ""
    for word in _fold(phrase).split():
        if word in ("in", "of", "at", "from", "for", "with", "on", "near"):
            break
        head = word
    return head


def _generic(source: str) -> bool:
    """A description, not a name: "the monitor", "the group" (no capitalised word after the first)."""
    return not any(w[:1].isupper() for w in source.split()[1:]) and len(source.split()) <= 3


def _report_like(claim: Claim) -> bool:
    """The claim rests on the reporting itself (no one speaking), so it relies on who is credited for it."""
    att = claim.attribution
    if att is None or att.kind in ("none", "report"):
        return True
    return bool(att.source) and _fold(att.source).split()[-1] in _REPORT_HEADS


def _claim_body(claim: Claim, entity_types: dict[str, str]) -> tuple[str, str, str | None] | None:
    """(name, kind, entity) of the organization or official body a claim is attributed to, if any."""
    att = claim.attribution
    if att is None or not att.source or att.kind not in ("named", "official", "document"):
        return None
    etype = entity_types.get(att.entity or "")
    source = att.source.strip()
    words = set(_fold(source).split())
    if not words or _head(source) in _VAGUE_OFFICIALS:
        return None  # "local officials", "hospital officials in Jableh": people of some office, not one body
    bare = source.split()
    if bare and bare[0].casefold() in ("the", "a", "an"):
        bare = bare[1:]
    named = bool(bare) and bare[0][:1].isupper()
    if etype in _ORG_KINDS or (etype is None and named and _source_kind(source, set()) is not None):
        kind = "monitor" if words & _MONITOR_WORDS else ("official" if att.kind == "official" else "outlet")
        return source, kind, att.entity
    if etype or att.kind != "official" or words & _REPORT_HEADS:
        return None  # a person, a place, a pronoun, a document of unknown origin
    if source.split()[0].casefold() in ("a", "an", "one", "two", "some", "several", "many"):
        return None  # "a spokesman": no one body
    return source, "official", att.entity


@dataclass
class OriginIndex:
    """Origins of a story: what each article and claim relies on, and the listed `Origin`s."""

    origins: list[Origin] = field(default_factory=list)
    article_roots: dict[str, set[str]] = field(default_factory=dict)  # article -> origin keys
    claim_roots: dict[str, set[str]] = field(default_factory=dict)  # claim -> origin keys
    names: dict[str, str] = field(default_factory=dict)  # origin key -> display name
    own: dict[str, str] = field(default_factory=dict)  # article -> the key of its own outlet

    def roots(self, claim: Claim, source_of: dict[str, str] | None = None) -> set[str]:
        """Origin keys a claim relies on; a report relying on nothing is its own (its source group)."""
        if claim.id in self.claim_roots:
            return self.claim_roots[claim.id]
        return self.article_roots.get(claim.article) or {"s:" + (source_of or {}).get(claim.article, claim.article)}


class _Keys:
    """One key per origin, whether it is met as an outlet name, a credited name or a linked entity."""

    def __init__(self) -> None:
        self.by_name: dict[str, str] = {}
        self.by_entity: dict[str, str] = {}

    def key(self, name: str, entity: str | None = None) -> str:
        folded = _fold(name)
        key = self.by_name.get(folded) or (self.by_entity.get(entity) if entity else None)
        if key is None:
            key = "o:" + folded
        self.by_name.setdefault(folded, key)
        if entity:
            self.by_entity.setdefault(entity, key)
        return key


def find_origins(analyses: list[ArticleAnalysis], source_of: dict[str, str]) -> OriginIndex:
    """Trace every report and attributed claim of a story to its original sources (pure)."""
    by_id = {a.article.id: a for a in analyses}
    outlets = {_fold(a.article.outlet): a.article.outlet for a in analyses if a.article.outlet}
    titles = {re.sub(r"\W+", " ", a.article.title).strip().casefold(): a.article.id for a in analyses if a.article.title}
    index = OriginIndex()
    keys = _Keys()
    for folded in outlets:
        keys.key(folded)
    kinds: dict[str, str] = {}
    entities: dict[str, str | None] = {}
    relies: dict[str, set[tuple[str, str]]] = {}  # article -> (origin key or "a:<article id>", kind): whole report
    credited: dict[str, set[str]] = {}  # article -> origin keys credited in its text: its reported facts

    entity_names = {e.id: e.name for a in analyses for e in a.entities}

    def add(name: str, kind: str, entity: str | None = None) -> str:
        name = re.sub(r"^the\s+", "", name.strip())  # "according to the Sahel Conflict Monitor"
        if entity in entity_names and ("," in name or _generic(name) or _fold(name).split()[-1] in _REPORT_HEADS):
            name = entity_names[entity]  # "The pipeline operator, Amazonia Crudo S.A.", "a U.N. agency update"
        key = keys.key(name, entity)
        index.names.setdefault(key, name)
        kinds.setdefault(key, kind)
        if entity and not entities.get(key):
            entities[key] = entity
        return key

    def own(aid: str) -> str:
        """The origin of a report relying on nothing: its outlet (copies and one outlet fold together)."""
        outlet = by_id[aid].article.outlet
        return keys.key(outlet) if outlet else "s:" + source_of.get(aid, aid)

    for a in analyses:
        art = a.article
        edges = relies.setdefault(art.id, set())
        if art.duplicate_of in by_id and art.duplicate_of != art.id:
            edges.add(("a:" + art.duplicate_of, "wire"))
        author = _fold(art.author or "")
        if author and author != _fold(art.outlet or "") and (author in outlets or author in WIRE_AGENCIES):
            edges.add((add(outlets.get(author) or art.author.strip(), "wire"), "wire"))
        for cited in art.cited_sources:
            title = re.sub(r"\W+", " ", cited).strip().casefold()
            if title in titles and titles[title] != art.id:
                edges.add(("a:" + titles[title], "cited"))
                continue
            name = _host(cited) or cited.strip()
            if name and len(name.split()) <= 8:
                edges.add((add(name, "cited"), "cited"))
        credited[art.id] = set()
        for credit in credits(a, set(outlets)):
            key = add(credit.org, credit.kind, credit.entity)
            if credit.name != credit.org and index.names[key] == credit.org:
                index.names[key] = credit.name  # "Reuters investigation" says more than "Reuters"
            credited[art.id].add(key)

    users: dict[str, set[str]] = {}

    def resolve(aid: str, seen: frozenset = frozenset()) -> set[str]:
        """Named origins behind a whole report, following copies and cited reports of the story."""
        out: set[str] = set()
        for edge, kind in relies.get(aid, ()):
            if not edge.startswith("a:"):
                out.add(edge)
                continue
            target = edge[2:]
            if target in seen or target == aid:
                continue
            inner = resolve(target, seen | {aid}) or credited.get(target, set())
            if not inner:  # the cited or copied report is itself the origin
                key = own(target)
                index.names.setdefault(key, by_id[target].article.outlet or by_id[target].article.title)
                kinds.setdefault(key, kind)
                users.setdefault(key, set()).add(target)
                inner = {key}
            out |= inner
        return out

    whole: dict[str, set[str]] = {aid: resolve(aid) for aid in relies}
    for aid in relies:
        index.article_roots[aid] = whole[aid] or credited.get(aid) or {own(aid)}
        index.own[aid] = own(aid)

    entity_types = {e.id: e.type for a in analyses for e in a.entities}
    figures = {q.id for a in analyses for q in a.quantities if q.counted or q.unit}
    body_articles: dict[str, set[str]] = {}
    body_figures: set[str] = set()
    for a in analyses:
        aid = a.article.id
        last_body = None  # "the monitor said", "the group said": the body this report last named
        for claim in a.claims:
            body = _claim_body(claim, entity_types)
            if body is not None and not _generic(body[0]):
                last_body = body
            elif body is None and last_body is not None and claim.attribution.source and _generic(claim.attribution.source) \
                    and _fold(claim.attribution.source).split()[-1] in _MONITOR_WORDS | _MONITOR_HEADS:
                body = last_body
            anaphor = body is not None and _fold(body[0]) in _AGENCY_ANAPHORS and bool(whole[aid] or credited.get(aid))
            if anaphor:  # "the agency said": the agency the report credits
                roots = whole[aid] or credited[aid]
            elif body is not None:
                key = add(*body)
                roots = {key}
                body_articles.setdefault(key, set()).add(aid)
                if figures & set(claim.quantities):
                    body_figures.add(key)
            elif whole[aid]:
                roots = whole[aid]
            elif credited.get(aid) and _report_like(claim):
                roots = credited[aid]
            else:
                roots = {own(aid)}
            index.claim_roots[claim.id] = roots
    for aid in relies:
        for key in whole[aid] | credited.get(aid, set()):
            users.setdefault(key, set()).add(aid)
    for aid in relies:  # the origin's own report, when the story holds it
        if own(aid) in users:
            users[own(aid)].add(aid)
    # Bodies that matter to the story: the source of a counted figure, or quoted by two outlets.
    for key, arts in body_articles.items():
        if key in body_figures or len({source_of.get(x, x) for x in arts}) >= 2:
            users.setdefault(key, set()).update(arts)
    order = {a.article.id: i for i, a in enumerate(analyses)}
    index.origins = sorted(
        (Origin(name=index.names[k], articles=sorted(v, key=lambda x: order.get(x, 0)), kind=kinds.get(k, "outlet"),
                entity=entities.get(k)) for k, v in users.items() if k in index.names),
        key=lambda o: (-len(o.articles), o.name))
    return index


def independence(groups: list[list[Claim]], index: OriginIndex, source_of: dict[str, str]) -> dict[str, list[str]]:
    """Set `claim.independent` on every claim and return each group id's shared origin names, for display.

    Each outlet (source group) carrying the group, with the claim's polarity, relies on the origins of
    its claims there; `independent` is the fewest origins that account for every outlet (greedy set
    cover, so an outlet relying on a wire story and a monitor is not counted twice, and the count
    never exceeds the outlets). Names are shown for origins that several outlets share or that are
    not the outlet itself (a credited investigation, a monitor).
    """
    shown: dict[str, list[str]] = {}
    for group in groups:
        for polarity in (False, True):
            same = [c for c in group if c.negated == polarity]
            if not same:
                continue
            relies: dict[str, set[str]] = {}
            for c in same:
                relies.setdefault(source_of.get(c.article, c.article), set()).update(index.roots(c, source_of))
            uncovered = set(relies)
            chosen: list[tuple[str, int]] = []
            while uncovered:
                counts: dict[str, int] = {}
                for outlet in uncovered:
                    for key in relies[outlet]:
                        counts[key] = counts.get(key, 0) + 1
                if not counts:
                    break
                key = max(sorted(counts), key=lambda k: counts[k])
                chosen.append((key, counts[key]))
                uncovered = {o for o in uncovered if key not in relies[o]}
            for c in same:
                c.independent = max(1, len(chosen) + len(uncovered))
            if not polarity:
                own = {index.own.get(c.article) for c in same}
                shown[group[0].group or group[0].id] = [index.names[k] for k, n in chosen
                                                         if k in index.names and (n >= 2 or k not in own)]
    return shown


def independence_label(outlets: int | None, independent: int | None, origins: list[str] | None = None) -> str:
    """How many outlets carry something and how many independent origins they rely on, for readers:
    "7 outlets, 1 origin: Reuters investigation"; "3 outlets, 3 origins"; "1 outlet"."""
    outlets = outlets or 1
    text = f"{outlets} outlet{'' if outlets == 1 else 's'}"
    if independent is None or (outlets == 1 and independent <= 1 and not origins):
        return text
    text += f", {independent} origin{'' if independent == 1 else 's'}"
    if origins and len(origins) <= 3:
        text += ": " + ", ".join(origins)
    return text
