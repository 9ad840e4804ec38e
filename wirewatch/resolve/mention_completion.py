"""Find the repeat mentions of a report's named entities that extraction missed, before linking.

Extractors find "San Diego Chargers" in a sentence and miss the bare "Chargers" three sentences on,
or find "Jamal Williams" and miss "WILLIAMS" in a headline. Those mentions belong to the entity
already named in the same report, so each entity's written forms — its name, aliases, a person's
surname, an organization's trailing head word ("Chargers") — are searched in the report text,
whole-word and case-sensitive (or in capitals), and every hit no existing mention covers is added
as a mention. A form two entities of the report share ("Williams" for two Williamses) is skipped:
it would be a guess. Forms are only ever taken from the report's own entities, so nothing is
invented from names seen elsewhere.
"""
from __future__ import annotations

import re

from wirewatch.extract.agents import is_generic_agent
from wirewatch.model import ArticleAnalysis, Entity, Mention
from wirewatch.resolve.covered import Covered

__all__ = ["complete_mentions", "entity_forms", "known_name_spans"]

_MIN_FORM = 3  # shorter forms ("US", "Al") match too much unrelated text
_SMALL = {"the", "of", "and", "for", "in", "on", "at", "de", "a", "an"}


def entity_forms(entity: Entity) -> set[str]:
    """The written forms of an entity a later mention in the same report may use."""
    forms = set()
    for name in [entity.name, *entity.aliases]:
        name = re.sub(r"^(?:the|The)\s+", "", name.strip())
        name = re.sub(r"['\u2019]s?$", "", name).strip()
        if len(name) >= _MIN_FORM:
            forms.add(name)
        words = name.split()
        if entity.type in ("person", "organization", "group") and len(words) >= 2 and words[-2].lower() not in _SMALL:
            last = words[-1].strip(".,")
            if len(last) >= _MIN_FORM and last[0].isupper() and not last.isupper():
                forms.add(last)
    return forms


def complete_mentions(analysis: ArticleAnalysis) -> int:
    """Add the uncovered repeat mentions of each entity of one report, in place; return how many were added."""
    text = analysis.article.text
    owners: dict[str, set[str]] = {}
    for entity in analysis.entities:
        if is_generic_agent(entity):  # "the army" is not a name: its words recur without meaning it
            continue
        for form in entity_forms(entity):
            owners.setdefault(form, set()).add(entity.id)
    covered = Covered((m.start, m.end) for e in analysis.entities for m in e.mentions)
    by_id = {e.id: e for e in analysis.entities}
    surface: dict[str, str] = {}  # written form (as is, or in capitals) -> entity id
    for form, ids in owners.items():
        if len(ids) != 1:
            continue
        (owner,) = ids
        for variant in {form, form.upper()}:
            if surface.setdefault(variant, owner) != owner:
                surface[variant] = ""  # two entities written alike in capitals: neither
    surface = {k: v for k, v in surface.items() if v}
    if not surface:
        return 0
    added = 0
    for start, end, form in _occurrences(text, sorted(surface, key=len, reverse=True)):
        if covered.overlaps(start, end):
            continue
        entity = by_id[surface[form]]
        entity.mentions.append(Mention(article=analysis.article.id, start=start, end=end, text=form))
        covered.add(start, end)
        added += 1
    return added


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


def _occurrences(text: str, forms: list[str]) -> list[tuple[int, int, str]]:
    """Whole-word occurrences of `forms`, left to right, not overlapping; at one place the form
    listed first wins (callers list longest first, so "San Diego Chargers" is taken before "Chargers").

    What one regex alternation of the forms between word boundaries finds, without compiling a
    new pattern for every report.
    """
    found: list[tuple[int, int, int]] = []  # (start, rank of the form, end)
    for rank, form in enumerate(forms):
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            if not (start and _is_word_char(text[start - 1])) and not (end < len(text) and _is_word_char(text[end])):
                found.append((start, rank, end))
            start = text.find(form, start + 1)
    out = []
    cursor = 0
    for start, rank, end in sorted(found):
        if start >= cursor:
            out.append((start, end, forms[rank]))
            cursor = end
    return out


_CAPITALISED = re.compile(r"(?<![\w'-])(?:[A-Z][\w'&.-]*[\w&])(?:\s+(?:of\s+|the\s+)?[A-Z][\w'&.-]*[\w&])*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"\u201c]\s*|\n\s*)$")


def known_name_spans(analysis: ArticleAnalysis, store, normalize, max_words: int = 5) -> int:
    """Add a local entity for each uncovered capitalised name the store already knows as exactly one entity.

    "Colts" in a report where extraction found nothing is the Indianapolis Colts if the key index
    knows one entity by that name or head word; linking then decides which entity it is, as for any
    extracted name. A one-word name opening a sentence ("Police said") is skipped: its capital
    letter says nothing. `normalize(name, family)` is linking's name folding. Returns entities added.
    """
    text = analysis.article.text
    covered = Covered((m.start, m.end) for e in analysis.entities for m in e.mentions)
    found: dict[str, list[tuple[int, int, str]]] = {}
    for match in _CAPITALISED.finditer(text):
        start, end, surface = match.start(), match.end(), match.group()
        words = surface.split()
        if len(words) > max_words or len(surface) < _MIN_FORM or covered.overlaps(start, end):
            continue
        if len(words) == 1 and _SENTENCE_START.search(text[max(0, start - 3):start]):
            continue
        norm = normalize(surface, "org")
        if len(norm) >= _MIN_FORM:
            found.setdefault(norm, []).append((start, end, surface))
    if not found:
        return 0
    families = ("person", "org", "other", "place")
    keys = [f"n:{f}:{norm}" for norm in found for f in families] + [f"x:{norm}" for norm in found]
    hits = store.entities_by_keys(keys)
    added = 0
    for norm, places in found.items():
        ids = {i for k in [f"n:{f}:{norm}" for f in families] + [f"x:{norm}"] for i in hits.get(k, [])}
        if len(ids) != 1:
            continue
        known = store.get_state(f"entity:{next(iter(ids))}") or {}
        types = known.get("types") or {}
        etype = max(types, key=types.get) if types else {"org": "organization"}.get(known.get("family"), known.get("family", "other"))
        mentions = [Mention(article=analysis.article.id, start=s, end=e, text=t) for s, e, t in places]
        analysis.entities.append(Entity(id=f"{analysis.article.id}-K{added}", name=places[0][2], type=etype,
                                        mentions=mentions))
        added += 1
    return added
