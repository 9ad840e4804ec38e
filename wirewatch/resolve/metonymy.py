"""Tell a place used for its government or team ("Moscow said", "Beijing's decision") from a location.

A place entity keeps its geo either way (it still links to its country), but when it is used
so and never written as a location, `Geo.literal` is False: it names an actor, not somewhere
things happen, and map pins and story place counts can leave it out. A mention is metonymic
when the next words make it the one who acts or speaks: a verb of saying, deciding or competing
("Moscow said", "Japan has imposed", "England beat"), or a possessive or modifier before an
institution or a decision ("Beijing's foreign ministry", "Tehran's response", "U.S.
officials"). One mention after a locative word ("in Moscow", "from Russia") keeps the entity
literal. Demonyms ("Syrian forces") are never place mentions in the first place (see
`geocode._link_demonyms`).
"""
from __future__ import annotations

import re

from wirewatch.model import ArticleAnalysis

__all__ = ["is_metonymic", "mark_metonymy"]

AGENT_VERBS = (
    "said|says|say|told|tells|announced|announces|declared|accused|accuses|warned|warns|denied|denies|"
    "rejected|rejects|urged|urges|demanded|demands|insisted|insists|claimed|claims|agreed|agrees|signed|"
    "signs|imposed|imposes|threatened|threatens|condemned|condemns|vowed|vows|responded|responds|"
    "refused|refuses|retaliated|wants|hopes|expects|plans|intends|decided|decides|ordered|orders|"
    "recalled|expelled|summoned|sanctioned|blamed|blames|called|calls|criticized|criticised|"
    "welcomed|welcomes|confirmed|confirms|pledged|pledges|offered|offers|sent|sends|backed|backs|"
    "supports|supported|opposes|opposed|beat|beats|defeated|drew|scored"
)
INSTITUTION_NOUNS = (
    "government|president|prime|foreign|defen[cs]e|interior|finance|ministry|minister|ministers|"
    "officials|leaders?|leadership|regime|administration|parliament|cabinet|embassy|envoy|ambassador|"
    "military|army|navy|air force|forces|troops|police|intelligence|central bank|national team|team|"
    "squad|coach|delegation|negotiators|decision|response|position|stance|move|refusal|demands?|"
    "threats?|offer|proposal|policy|ally|allies|envoys|authorities"
)
_AFTER_AGENT = re.compile(
    rf"^\s*(?:,\s*(?:which|who)\s+)?(?:has\s+|have\s+|had\s+|is\s+|was\s+)?(?:also\s+|not\s+|already\s+|now\s+)?"
    rf"(?:{AGENT_VERBS})\b",
    re.IGNORECASE,
)
_AFTER_POSSESSIVE = re.compile(rf"^(?:['’]s)?\s+(?:new\s+|own\s+|top\s+|chief\s+|senior\s+)?(?:{INSTITUTION_NOUNS})\b", re.IGNORECASE)
# Words before a mention that make it a location whatever else the article does with the name.
_BEFORE_LOCATIVE = re.compile(
    r"\b(?:in|at|to|from|near|across|inside|into|throughout|around|outside|within|via|towards?|of)\s+(?:the\s+)?$",
    re.IGNORECASE)
_METONYMIC_FEATURES = ("country", "capital", "city", "admin1")


def is_metonymic(text: str, end: int) -> bool:
    """Whether the words after a place mention ending at `end` make it an actor."""
    after = text[end:end + 60]
    return bool(_AFTER_AGENT.match(after) or _AFTER_POSSESSIVE.match(after))


def mark_metonymy(analysis: ArticleAnalysis) -> None:
    """Set `Geo.literal = False` on places used as actors and never written as locations (in place).

    An entity is non-literal when at least one mention is metonymic and no mention sits after a
    locative word ("in Moscow", "from Russia"): one literal use keeps the pin.
    """
    text = analysis.article.text
    for entity in analysis.entities:
        geo = entity.geo
        if entity.type != "place" or geo is None or geo.approximate or geo.feature not in _METONYMIC_FEATURES:
            continue
        located = any(_BEFORE_LOCATIVE.search(text[max(0, m.start - 25):m.start]) for m in entity.mentions)
        if not located and any(is_metonymic(text, m.end) for m in entity.mentions):
            geo.literal = False
