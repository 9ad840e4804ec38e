"""Find the numbers an article gives, with value, range, approximation, unit and what they count.

Numbers are located with regular expressions over the raw text (so spans are exact and "€300m"
or "1.2bn" survive tokenization), then checked and completed with the spaCy parse: dates, times,
phone numbers and numbers inside names are dropped; the counted noun phrase comes from the
dependency tree ("an estimated 50,000 potential fighters" -> counted "fighters").

Conventions (documented in docs/ontology.md):
- `value` is the number as written, scaled ("3.5 million" -> 3500000, "40%" -> 40 with unit "%").
- Cues: "at least"/"more than"/"over" set `low`; "up to"/"fewer than"/"nearly"/"almost" set
  `high`; "about"/"some"/"an estimated"... only set `approximate`.
- Ranges ("30 to 40", "between 30 and 40", "30-40") give value None, low and high, approximate.
- Vague amounts ("dozens", "millions", "tens of thousands") give value None, approximate True and
  the bounds in `numbers.VAGUE_AMOUNTS` (e.g. dozens 24..99, millions 2e6..999,999,999).
- `counted` is the head noun with its noun compounds, lower-cased, without adjectives
  ("14 underground command rooms" -> "command rooms"): adjectives describe, the noun counts, and
  dropping them lets "50,000 fighters" and "50,000 potential fighters" be compared across outlets.
  A casualty participle is appended ("37 people killed"). A bare vague amount with no noun
  ("funnelling millions to recruit") has counted None: the text does not say what is counted.
- Money: `unit` is the ISO currency code; `counted` is what the money is for when an "of/in/for"
  phrase says so ("$5 million in aid" -> "aid"), else None.
"""
from __future__ import annotations

import re

from wirewatch.extract.numbers import (
    NUMBER_WORD_PATTERN,
    VAGUE_AMOUNTS,
    parse_figure,
    parse_number,
)
from wirewatch.model import Article, Quantity, stable_id

_FIG = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_WORD = r"(?:\s+(?:million|billion|trillion|thousand|hundred)\b)"
_SCALE_ABBR = r"(?:mn|mln|bn|bln|m|b|k|tn)\b"
_VAGUE = "|".join(sorted((re.escape(k) for k in VAGUE_AMOUNTS if " " in k or k.endswith("s")), key=len, reverse=True))

_CORE = re.compile(
    rf"(?P<vague>\b(?:{_VAGUE})\b)"
    rf"|(?P<fig>(?<![\w.,/:])(?:{_FIG})(?:{_SCALE_ABBR}|{_SCALE_WORD})?(?![\w/:]|[.,]\d))"
    rf"|(?P<coll>\b(?:a|one) dozen\b)"
    rf"|(?P<frac>\b(?:half|a third|one third|a quarter|one quarter|two[- ]thirds|three[- ]quarters)\b(?=\s+(?:of|the)\b))"
    rf"|(?P<words>\b{NUMBER_WORD_PATTERN}\b(?![-\w]))",
    re.IGNORECASE,
)
_RANGE_AFTER = re.compile(rf"\s?(?:-|–|to)\s?(?P<hi>{_FIG})(?P<hiscale>{_SCALE_ABBR}|{_SCALE_WORD})?(?![\w/:]|[.,]\d)", re.I)
_BETWEEN_AFTER = re.compile(rf"\s+and\s+(?P<hi>{_FIG})(?P<hiscale>{_SCALE_ABBR}|{_SCALE_WORD})?(?![\w/:])", re.I)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.I)

CURRENCY_SYMBOLS = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB"}
CURRENCY_CODES = ("USD", "EUR", "GBP", "JPY", "CHF", "CNY", "RUB", "INR", "SYP", "TRY")
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
    "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB",
    "rubles": "RUB", "rupee": "INR", "rupees": "INR", "francs": "CHF", "lira": "TRY",
}
_CUR_BEFORE = re.compile(r"(?P<cur>US\$|\$|€|£|¥|₹|₽|\b(?:" + "|".join(CURRENCY_CODES) + r")\s?)$")
_CUR_AFTER = re.compile(r"\s+(?:US\s+)?(?P<curword>" + "|".join(CURRENCY_WORDS) + r")\b(?!\s+of\b(?=\s+[a-z]+\s+(?:explosives?|cocaine|heroin)))", re.I)
_PERCENT_AFTER = re.compile(r"\s?(?:%|percent\b|per\s+cent\b)", re.I)
UNITS = {
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "miles": "mi", "mile": "mi", "m": "m", "metres": "m", "meters": "m", "metre": "m", "meter": "m",
    "kg": "kg", "kilograms": "kg", "kilogram": "kg", "kilos": "kg", "tonnes": "t", "tons": "t",
    "tonne": "t", "ton": "t", "litres": "l", "liters": "l", "barrels": "bbl", "hectares": "ha",
    "acres": "acre", "sq km": "km2", "square kilometres": "km2", "square kilometers": "km2",
    "mw": "MW", "megawatts": "MW",
}
_UNIT_AFTER = re.compile(r"\s?(?P<unit>" + "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True)) + r")\b", re.I)

# Cue -> which bound the figure sets. Ordered longest first so "more than" wins over "over".
CUES: dict[str, str | None] = {
    "an estimated": None, "estimated": None, "approximately": None, "roughly": None, "about": None,
    "around": None, "some": None, "an approximate": None, "at least": "low", "more than": "low",
    "over": "low", "well over": "low", "just over": "low", "upwards of": "low", "in excess of": "low",
    "up to": "high", "fewer than": "high", "less than": "high", "under": "high", "just under": "high",
    "nearly": "high", "almost": "high", "close to": "high", "at most": "high", "as many as": "high",
    "no more than": "high", "as few as": "low",
}
_CUE_BEFORE = re.compile(
    r"\b(?P<cue>" + "|".join(sorted((c.replace(" ", r"\s+") for c in CUES), key=len, reverse=True)) + r")\s+$",
    re.I,
)
# Words that, right before a figure, make it an identifier, not an amount ("Resolution 1441").
_ID_WORDS = {"no", "no.", "number", "nos", "flight", "route", "article", "resolution", "chapter",
             "section", "page", "room", "highway", "paragraph", "item", "vol", "vol.", "p.", "pp.",
             "line", "platform", "gate", "channel", "level", "grade", "class", "phase", "stage", "model",
             "version", "season", "episode", "district", "zone", "sector", "unit", "block", "building",
             "apartment", "suite", "box", "exit", "mile", "km", "kilometre", "kilometer", "act", "bill"}
_NAME_ENTS = {"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "FAC", "LAW", "EVENT", "GPE", "LOC"}
_TIME_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|"
    r"\b(?:day|days|week|weeks|month|months|year|years|decade|decades|century|centuries|ago|hour|hours|"
    r"minute|minutes|second|seconds|morning|evening|night|noon|midnight|a\.m\.|p\.m\.|am|pm|gmt|utc|"
    r"century|season|quarter|spring|summer|autumn|winter|yesterday|today|tomorrow)\b",
    re.I,
)
# Participles that turn "people" into the casualty count news is about ("people killed").
CASUALTY_PARTICIPLES = {
    "kill": "killed", "injure": "injured", "wound": "wounded", "displace": "displaced",
    "arrest": "arrested", "detain": "detained", "evacuate": "evacuated", "kidnap": "kidnapped",
    "abduct": "abducted", "miss": "missing", "rescue": "rescued", "hurt": "hurt", "execute": "executed",
    "deport": "deported", "evict": "evicted", "jail": "jailed", "imprison": "imprisoned",
}
# Intransitive verbs whose subject is the casualty itself, whatever the tense ("11 people died").
DEATH_VERBS = {"die": "killed", "perish": "killed", "drown": "killed", "flee": "displaced"}
# A figure reached by a tally ("the death toll rose to 11", "put the toll at 41", "the number of
# people killed reached 50"): the verb and the preposition that introduce the figure.
TALLY_VERBS = {"rise", "climb", "jump", "increase", "grow", "reach", "stand", "put", "hit", "top", "pass",
               "exceed", "surpass", "revise", "raise", "lower", "fall", "drop", "bring", "take", "push", "lift"}
TALLY_NOUNS = {"toll", "number", "count", "tally", "total", "figure"}
# Nouns that are themselves a count of events, so a tally verb can reach them ("deaths rose to 67").
SELF_COUNTING = {"death", "fatality", "casualty", "injury", "arrest", "case", "infection"}
GENERIC_NOUNS = {"people", "person", "civilian", "resident"}  # say who is counted, not what happened
_NOUNISH = {"NOUN", "PROPN"}


def find_quantities(doc, article: Article) -> list[Quantity]:
    """Return every quantity in `article.text` (parsed as `doc`), in text order."""
    text = article.text
    found: list[Quantity] = []
    taken_until = -1
    for m in _CORE.finditer(text):
        if m.start() < taken_until:
            continue
        q = _build(doc, article, m)
        if q is not None:
            found.append(q)
            taken_until = q.end
    return found


def _build(doc, article: Article, m: re.Match) -> Quantity | None:
    text = article.text
    kind = m.lastgroup
    core_start, core_end = m.start(), m.end()
    value: float | None
    low = high = None
    approximate = False
    unit: str | None = None
    raw = m.group(0)

    if kind == "vague":
        value = None
        low, high = VAGUE_AMOUNTS[raw.lower()]
        approximate = True
    elif kind == "fig":
        value = parse_number(raw.replace(" ", "")) if re.search(r"\s", raw) is None else parse_number(raw)
        if value is None:
            value = parse_number(re.sub(r"\s+", " ", raw))
        rng = _RANGE_AFTER.match(text, core_end)
        between = _BETWEEN_BEFORE.search(text, max(0, core_start - 10), core_start)
        if between:
            rng = _BETWEEN_AFTER.match(text, core_end)
        if rng and value is not None:
            hi = parse_figure(rng.group("hi"))
            scale_src = rng.group("hiscale") or ""
            if hi is not None and scale_src:
                hi = parse_number(rng.group("hi") + scale_src.strip()) if not scale_src.startswith(" ") else parse_number(rng.group("hi") + scale_src)
                if value < 1000 and hi is not None and hi >= 1000:  # "3 to 4 million": the scale covers both
                    value = parse_number(m.group(0) + scale_src.strip()) if not scale_src.startswith(" ") else parse_number(m.group(0) + scale_src)
            if hi is not None and value is not None and hi > value and not _is_phone(text, core_start, rng.end()):
                low, high, value = value, hi, None
                approximate = True
                core_end = rng.end()
                if between:
                    core_start = between.start()
    elif kind == "coll":
        value = 12.0
    elif kind == "frac":
        value = parse_number(raw.replace("-", " ").lower())
    else:  # number words
        value = parse_number(raw)
    if value is None and low is None:
        return None

    start, end = core_start, core_end
    cur = _CUR_BEFORE.search(text, max(0, start - 4), start)
    if cur and kind in ("fig", "vague"):
        unit = CURRENCY_SYMBOLS.get(cur.group("cur"), cur.group("cur").strip().upper())
        start = cur.start()
    after = _PERCENT_AFTER.match(text, end)
    if after and kind in ("fig", "words"):
        unit, end = "%", after.end()
    elif (after := _CUR_AFTER.match(text, end)) and kind in ("fig", "words", "vague"):
        unit, end = CURRENCY_WORDS[after.group("curword").lower()], after.end()
    elif kind == "fig" and unit is None and (after := _UNIT_AFTER.match(text, end)):
        unit, end = UNITS.get(after.group("unit").lower(), after.group("unit")), after.end()
    # "€300m": after a currency the abbreviation means million, which parse_number already did.

    span = doc.char_span(core_start, core_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    if not _is_amount(doc, span, text, core_start, core_end, kind, unit, value):
        return None

    cue = _CUE_BEFORE.search(text, max(0, start - 25), start)
    if cue and _cue_applies(doc, cue, span):
        bound = CUES[re.sub(r"\s+", " ", cue.group("cue").lower())]
        approximate = True
        if value is not None and bound == "low":
            low = value
        elif value is not None and bound == "high":
            high = value
        start = cue.start()

    counted, counted_end, money_unit = _counted(doc, text, span, unit, kind)
    if money_unit and unit is None:
        unit = money_unit
    if counted_end is not None and counted_end > end:
        end = counted_end
    qid = stable_id("q", article.id, start, end)
    return Quantity(
        id=qid, article=article.id, text=text[start:end], start=start, end=end, value=value,
        approximate=approximate, low=low, high=high, unit=unit, counted=counted,
    )


def _is_phone(text: str, start: int, end: int) -> bool:
    """True for phone-like digit runs ("555-1234", "+44 20 7946 0958")."""
    lo, hi = start, end
    while lo > 0 and (text[lo - 1].isdigit() or text[lo - 1] in "+-. ()") and start - lo < 12:
        lo -= 1
    while hi < len(text) and (text[hi].isdigit() or text[hi] in "-. ()") and hi - end < 12:
        hi += 1
    chunk = text[lo:hi].strip(" .()")
    digits = sum(c.isdigit() for c in chunk)
    return digits >= 7 and bool(re.search(r"\d[-. ]\d", chunk)) and "," not in text[start:end]


def _is_amount(doc, span, text, start, end, kind, unit, value) -> bool:
    """Reject dates, times, ordinals, phone numbers, identifiers and numbers inside names."""
    if _is_phone(text, start, end):
        return False
    first, last = span[0], span[-1]
    ent = last.ent_type_
    if ent == "TIME" and unit is None:
        return False
    if ent == "DATE" and unit is None:
        ent_span = next((e for e in doc.ents if e.start <= last.i < e.end), None)
        if ent_span is not None and _TIME_WORDS.search(ent_span.text):
            return False
    year_like = kind == "fig" and re.fullmatch(r"1[5-9]\d\d|20\d\d", text[start:end]) is not None
    if year_like and unit is None:
        head = last.head
        if not (last.dep_ == "nummod" and head.pos_ == "NOUN" and head.i > last.i and not head.ent_type_):
            return False
    if ent in _NAME_ENTS and unit is None:
        return False
    if kind == "fig" and first.i > 0 and doc[first.i - 1].lower_ in _ID_WORDS:
        return False
    if kind == "fig" and end < len(text) and text[end : end + 1] in "-–" and re.match(r"[-–][A-Za-z]", text[end:]):
        return False  # "5-year", "3-0"-style modifiers and compounds are not amounts
    if kind == "words" and value is not None and value == 1 and last.dep_ != "nummod":
        return False  # "one of them", "no one": the pronoun, not a count
    if kind == "words" and last.pos_ not in ("NUM",) and last.dep_ not in ("nummod", "quantmod"):
        return False
    return True


def _cue_applies(doc, cue: re.Match, span) -> bool:
    """A prepositional "over"/"under"/"about"/"around" is a cue only when the parser attaches it to the number."""
    word = cue.group("cue").lower().split()[-1]
    if word not in ("over", "under", "about", "around", "some"):
        return True
    tok = doc.char_span(cue.start("cue"), cue.end("cue"), alignment_mode="expand")
    if tok is None:
        return False
    t = tok[-1]
    if t.dep_ in ("quantmod", "advmod", "nummod", "amod", "det") and (t.head in span or t.head.i >= span.start):
        return True
    return t.dep_ != "prep" and t.head.i >= span.start


def _noun_phrase(noun) -> tuple[str, int]:
    """Head noun with its contiguous noun compounds to the left, lower-cased; returns (text, end char)."""
    start = noun.i
    while start - 1 >= 0 and noun.doc[start - 1].dep_ == "compound" and noun.doc[start - 1].head.i in range(start, noun.i + 1) \
            and noun.doc[start - 1].pos_ in _NOUNISH and not noun.doc[start - 1].like_num:
        start -= 1
    words = noun.doc[start : noun.i + 1]
    phrase = " ".join(t.lower_ for t in words if t.pos_ != "PUNCT" or t.text == "-").replace(" - ", "-")
    return phrase, noun.idx + len(noun.text)


def _of_object(tok):
    """The object of an "of/in/for" phrase hanging on `tok` ("millions of dollars")."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "in", "for") and child.i == tok.i + 1:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def _participle(noun) -> tuple[str | None, int | None]:
    """A casualty participle that makes `noun` a casualty count, and its end when adjacent."""
    for child in noun.children:
        if child.dep_ in ("acl", "amod") and child.lemma_.lower() in CASUALTY_PARTICIPLES and child.i > noun.i:
            adj = child.i == noun.i + 1
            return CASUALTY_PARTICIPLES[child.lemma_.lower()], (child.idx + len(child.text)) if adj else None
    head = noun.head
    if noun.dep_ == "nsubj" and head.lemma_.lower() in DEATH_VERBS and head.pos_ in ("VERB", "AUX"):
        adj = head.i == noun.i + 1
        return DEATH_VERBS[head.lemma_.lower()], (head.idx + len(head.text)) if adj else None
    if noun.dep_ in ("nsubjpass", "dobj", "nsubj") and head.lemma_.lower() in CASUALTY_PARTICIPLES and head.pos_ == "VERB":
        if noun.dep_ == "nsubj" and head.tag_ != "VBN":
            return None, None
        adj = head.i == noun.i + 1
        return CASUALTY_PARTICIPLES[head.lemma_.lower()], (head.idx + len(head.text)) if adj else None
    return None, None


def _tally(tok) -> str | None:
    """What a bare figure counts when a tally reaches it: "the death toll rose to 11" -> "death toll",
    "the number of people killed rose to 11" -> "people killed", "put the toll at 41" -> "toll"."""
    verb = None
    if tok.dep_ == "pobj" and tok.head.lower_ in ("to", "at") and tok.head.dep_ == "prep":
        verb = tok.head.head
        if verb.lower_ in ("down", "up") and verb.dep_ in ("advmod", "prt", "prep"):
            verb = verb.head  # "revised the toll down to four"
    elif tok.dep_ == "dobj":
        verb = tok.head
    if verb is None or verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in TALLY_VERBS:
        return None
    # the tally is the verb's subject ("the toll rose to"), else its object ("put the toll at")
    roles = ("nsubj", "nsubjpass") if tok.dep_ == "dobj" else ("nsubj", "nsubjpass", "dobj")
    subject = next((c for c in verb.children if c.dep_ in roles and c.i != tok.i
                    and c.lemma_.lower() in TALLY_NOUNS | SELF_COUNTING), None)
    if subject is None:
        return None
    if subject.lemma_.lower() in SELF_COUNTING:
        return _noun_phrase(subject)[0]  # "deaths from the heatwave rose to 67" counts deaths
    counted = _of_object(subject)  # "the number of people killed"
    if counted is not None and counted.pos_ in _NOUNISH:
        phrase, _ = _noun_phrase(counted)
        part, _ = _participle(counted)
        return f"{phrase} {part}" if part else phrase
    if subject.lemma_.lower() not in ("toll", "tally"):
        return None  # "the figure rose to 11" does not say what is counted
    phrase, _ = _noun_phrase(subject)
    return phrase


def _bare_casualties(tok) -> str | None:
    """A bare number that is the victim of a casualty verb counts people: "killing 9 and wounding 34",
    "34 were wounded", "12 died" -> "people injured" / "people killed"."""
    head = tok.head
    if head.pos_ not in ("VERB", "AUX") or head.i == tok.i:
        return None
    lemma = head.lemma_.lower()
    if tok.dep_ in ("dobj", "nsubjpass") and lemma in CASUALTY_PARTICIPLES:
        return f"people {CASUALTY_PARTICIPLES[lemma]}"
    if tok.dep_ == "nsubj" and lemma in DEATH_VERBS:
        return f"people {DEATH_VERBS[lemma]}"
    return None


def _counted(doc, text: str, span, unit, kind) -> tuple[str | None, int | None, str | None]:
    """What the number counts, where the counted phrase ends (if adjacent), and a currency found on the way."""
    tok = span[-1]
    # climb through the number's own tokens ("3.5" -> "million") to the token that attaches outside
    while tok.head.i != tok.i and tok.head.i in range(span.start, span.end):
        tok = tok.head
    noun = None
    money_unit = None
    if kind in ("vague", "frac") or tok.lower_ in ("%", "percent") or unit == "%":
        if tok.head.lower_ in ("%", "percent", "cent"):
            tok = tok.head
        noun = _of_object(tok)
    elif tok.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "npadvmod") and tok.head.pos_ in _NOUNISH and tok.head.i > tok.i:
        noun = tok.head
    elif tok.pos_ in _NOUNISH and tok.i >= span.end and not tok.like_num:
        noun = tok
    if noun is not None and noun.lower_ in CURRENCY_WORDS:
        money_unit = CURRENCY_WORDS[noun.lower_]
        noun = _of_object(noun)
    if noun is not None and unit and unit not in ("%",) and noun.lower_ in UNITS:
        noun = _of_object(noun)
    if noun is None and unit is not None and unit != "%":
        noun = _of_object(span[-1]) or _of_object(tok)
    if noun is None and unit is None and kind not in ("vague", "frac"):
        tally = _tally(tok) or _bare_casualties(tok)
        if tally is not None:
            return tally, None, money_unit
    if noun is None or noun.pos_ not in _NOUNISH or noun.ent_type_ in ("DATE", "TIME"):
        return None, None, money_unit
    phrase, end = _noun_phrase(noun)
    part, part_end = _participle(noun)
    if part:
        phrase = f"{phrase} {part}"
        end = part_end if part_end is not None else end
    elif noun.lemma_.lower() in GENERIC_NOUNS:
        phrase = _tally(noun) or phrase  # "revised its death toll to at least 39 people" counts deaths
    # only extend the quantity's text over the counted phrase when it is adjacent to the number
    # (`text` is the article's: `Doc.text` would rebuild the whole string on every call)
    gap = text[span.end_char if span.end_char < noun.idx else noun.idx : noun.idx]
    adjacent = noun.i > span[-1].i and (noun.left_edge.i <= span[-1].i + 1 or len(gap.split()) <= 4) \
        and all(t.dep_ in ("amod", "compound", "nummod", "punct", "advmod", "det", "prep", "pobj", "quantmod", "nmod", "poss", "case")
                or t.i in range(span.start, span.end) for t in doc[span[-1].i + 1 : noun.i])
    return phrase, (end if adjacent else None), money_unit
