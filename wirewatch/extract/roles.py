"""Roles and titles of a named person, wherever the sentence puts them.

News prose hangs a role on a name in a few recurring shapes, each handled here:
pre-nominal titles ("Maj. Gen. X", "Interior Minister X"), descriptor chains before the name
("billionaire X", "former rebel commander X"), appositives after or before it
("X, chairman of the union," / "the union's chairman, X"), and "Governor X of Y", which becomes
"Governor of Y". Role strings are slices of the article text, whitespace-collapsed and trimmed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from wirewatch.extract.lexicon import TITLE_BEFORE_NAME, demonyms, is_title_word

MAX_ROLE_TOKENS = 14  # an appositive longer than this is a clause, not a role
_DESCRIPTOR_WORDS = frozenset({"former", "ex", "acting", "deputy", "senior", "top", "then", "interim", "retired"})
_DROP_LEADING = frozenset({"a", "an", "the", "his", "her", "their", "its", "our", "my", "your", "this", "that"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
# The model often tags the first word of a title as ORG ("Interior Minister"): not a reason to drop it.
_NOT_TITLE_ENTS = frozenset({"GPE", "NORP", "PERSON", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL"})
_RELATIVE = frozenset({"who", "which", "that", "whose", "whom", "where", "when"})
# Suffixes of agent nouns ("billionaire", "activist", "developer", "financier"): the small model
# often tags such a descriptor right before a name as a verb ("sold to billionaire X") or an
# adjective ("activist X"); with this suffix it is read as the noun it is.
_AGENT_SUFFIXES = ("aire", "ist", "ian", "ier", "eer", "er", "or", "ant", "ent", "man", "woman", "person", "ee")
# Verbs with those endings that do stand before names ("to counter X", "to monitor X").
_AGENT_LIKE_VERBS = frozenset(
    """
    consider deliver order answer offer register honor honour monitor counter cover enter gather
    recover remember discover murder render surrender suffer alter bother lower empower transfer
    prefer refer confer defer deter deter pester shelter tether usher visit present represent
    prevent invent resent torment comment implant supplant grant plant accompany
    """.split()
)


@dataclass
class RoleFinding:
    """Roles found for one person mention, plus places named in "Title X of Place"."""

    roles: list[str] = field(default_factory=list)
    title_start: int | None = None  # char offset where a pre-nominal title begins
    title: str | None = None  # that title as written ("Maj. Gen.", "Colonel")
    places: list[tuple[int, int]] = field(default_factory=list)  # token spans [start, end)


def clean_role(text: str) -> str:
    """Collapse whitespace and trim punctuation and stray quotes from a role string; a final
    period stays when it ends an abbreviated title ("Maj. Gen.")."""
    text = re.sub(r"\s+", " ", text).strip().strip(" ,;:-–—\"“”'‘’()")
    if text.endswith(".") and not _ABBREVIATION_END.search(text):
        text = text.rstrip(".")
    return text


_ABBREVIATION_END = re.compile(r"\b[A-Z][a-z]{0,3}\.$")


def add_role(roles: list[str], role: str) -> None:
    """Append `role` unless empty or already present (case-insensitive); keeps first spelling."""
    role = clean_role(role)
    if role and role.casefold() not in {r.casefold() for r in roles}:
        roles.append(role)


def find_roles(doc, start: int, end: int, sent_starts: frozenset[int] | None = None,
               text: str | None = None) -> RoleFinding:
    """Roles of the person named by tokens [start, end) of `doc`, from every shape handled.

    `sent_starts` (token indices that open a sentence) can be passed when calling this for many
    names, and so can `text` (the document text): spaCy's `Token.is_sent_start` scans the whole
    document and `Doc.text` rebuilds it on every call.
    """
    starts = sent_starts if sent_starts is not None else frozenset(s.start for s in doc.sents)
    found = RoleFinding()
    text = text if text is not None else doc.text
    first = doc[start]
    line_start = text.rfind("\n", 0, first.idx) + 1
    title = TITLE_BEFORE_NAME.search(text, line_start, first.idx)
    before = start  # token index where the descriptor chain must end
    title_text = None
    if title:
        lo = _title_tokens(doc, title.start(), start)
        if lo is not None:
            title_text = doc[lo:start].text
            found.title_start = doc[lo].idx
            found.title = title_text
            before = lo
    chain = _descriptor_chain(doc, before, bool(title_text), starts)
    if title_text:
        place = _of_place(doc, end)
        if place:
            found.places.append(place)
            add_role(found.roles, f"{title_text} of {doc[place[0]:place[1]].text}")
        else:
            add_role(found.roles, title_text)
        if chain:
            add_role(found.roles, f"{chain} {title_text}")
    elif chain:
        add_role(found.roles, chain)
    for role in _appositives(doc, start, end, before, starts):
        add_role(found.roles, role)
    return found


def _title_tokens(doc, char: int, start: int) -> int | None:
    """First token of the title that ends right before token `start`, the regex having matched
    from `char`: leading function words, possessives, demonyms and other names are not title."""
    lo = start - 1
    while lo >= 0 and doc[lo].idx >= char:
        lo -= 1
    lo += 1
    while lo < start:
        tok = doc[lo]
        if is_title_word(tok.text) or tok.text == "." and lo > 0 and is_title_word(doc[lo - 1].text + "."):
            break
        if tok.is_stop or tok.tag_ == "POS" or tok.lower_ in demonyms() or tok.ent_type_ in _NOT_TITLE_ENTS \
                or tok.is_punct or tok.text.endswith(("'s", "’s")):
            lo += 1
            continue
        break
    return lo if lo < start else None


def _descriptor_chain(doc, before: int, has_title: bool, starts: frozenset[int]) -> str | None:
    """Descriptor words right before token `before` ("former Assad insider"), as written."""
    i = before - 1
    sent_start = before - 1
    while sent_start > 0 and sent_start not in starts:
        sent_start -= 1
    tokens = []
    while i >= sent_start and len(tokens) < 6:
        tok = doc[i]
        if tok.tag_ == "HYPH" and tokens and i - 1 >= sent_start and doc[i - 1].is_alpha:
            tokens.append(tok)
            i -= 1
            continue
        ok = (_nounish(tok) or tok.pos_ in ("ADJ", "PROPN") or tok.lower_ in _DESCRIPTOR_WORDS) and tok.is_alpha
        if not ok or tok.lower_ in _DROP_LEADING or tok.ent_type_ in ("DATE", "TIME", "CARDINAL"):
            break
        if tok.ent_type_ == "PERSON" and tok.ent_iob_ == "I" and not tokens:
            break
        tokens.append(tok)
        i -= 1
    tokens.reverse()
    # Trailing proper nouns right before the name belong to it or to another name, not a role.
    while tokens and not has_title and tokens[-1].pos_ == "PROPN" and not tokens[-1].text.islower():
        # A lone capitalized word opening the sentence that the model kept out of the name is a
        # descriptor ("Billionaire X"); elsewhere a lone proper noun is another name ("Labour").
        lone_opener = len(tokens) == 1 and tokens[0].i in starts and not tokens[0].ent_type_
        if tokens[-1].lower_ in demonyms() or len(tokens) == 1 and not lone_opener:
            tokens.pop()
            continue
        break
    if not tokens:
        return None
    if not has_title and not any(_nounish(t) or t.text.islower() and t.pos_ != "ADJ" for t in tokens) \
            and not (len(tokens) == 1 and tokens[0].i in starts):
        return None
    if not has_title and tokens[-1].pos_ == "ADJ" and not _nounish(tokens[-1]):
        return None
    words = doc[tokens[0].i:tokens[-1].i + 1].text
    head = tokens[0]
    # A sentence-initial capital is not part of a descriptor ("Former rebel commander X"), but a
    # capitalized run is a name ("Lamar County Judge X").
    lone = len(tokens) == 1 and not has_title
    if head.i in starts and head.text[:1].isupper() and not head.text.isupper() \
            and head.lower_ not in demonyms() and not is_title_word(head.text) \
            and (lone or len(tokens) > 1 and tokens[1].text.islower()):
        words = head.text[:1].lower() + words[1:]
    return words


def _nounish(tok) -> bool:
    """A common noun, or a lower-case agent noun the tagger took for a verb or an adjective."""
    if tok.pos_ == "NOUN":
        return True
    low = tok.lower_
    if not tok.text.islower() or len(low) <= 4 or low in _DESCRIPTOR_WORDS:
        return False
    if tok.tag_ == "JJ":  # "-er", "-ent", "-ian" adjectives abound ("former", "recent"): agent nouns only
        return low.endswith(("aire", "ist", "eer"))
    return tok.tag_ in ("VB", "VBP") and low.endswith(_AGENT_SUFFIXES) and low not in _AGENT_LIKE_VERBS


def _of_place(doc, end: int) -> tuple[int, int] | None:
    """Token span of Y in "<title> X of Y", Y being capitalized words right after the name."""
    if end + 1 >= len(doc) or doc[end].lower_ != "of":
        return None
    i = end + 1
    while i < len(doc) and doc[i].text[:1].isupper() and doc[i].is_alpha:
        i += 1
    return (end + 1, i) if i > end + 1 else None


def _appositives(doc, start: int, end: int, before: int, starts: frozenset[int]) -> list[str]:
    """Appositive roles after the name ("X, a nurse at ...,") or before it ("the union's chairman, X")."""
    roles: list[str] = []
    name_tokens = set(range(start, end))
    root = doc[start:end].root
    # After the name: the dependency parse first, then a comma-bounded fallback. An age between
    # commas ("Halyna Petrenko, 67, a retired teacher") is skipped over.
    if end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].like_num and doc[end + 2].text == ",":
        end += 2
        name_tokens.add(end - 1)
    if end < len(doc) and doc[end].text == ",":
        for tok in doc[end + 1:min(len(doc), end + 3)]:
            if tok.dep_ == "appos" and tok.head.i in name_tokens:
                lo, hi = tok.left_edge.i, tok.right_edge.i + 1
                if lo == end + 1:
                    role = _phrase(doc, lo, _cut_clause(doc, lo, hi))
                    if role:
                        roles.append(role)
                break
        if not roles:
            role = _comma_phrase(doc, end + 1, starts)
            if role:
                roles.append(role)
    # Before the name: the name is an appositive of a preceding noun phrase.
    opener = _sentence_opening_np(doc, before, starts)
    if opener:
        roles.append(opener)
    elif root.dep_ == "appos" and root.head.i < start:
        head = root.head
        lo, hi = head.left_edge.i, before
        while hi > lo and doc[hi - 1].is_punct:
            hi -= 1
        if 0 < hi - lo <= MAX_ROLE_TOKENS and head.i < hi and not any(doc[k].ent_type_ == "PERSON" for k in range(head.i, head.i + 1)):
            role = _phrase(doc, lo, hi)
            if role:
                roles.append(role)
    return roles


def _sentence_opening_np(doc, before: int, starts: frozenset[int]) -> str | None:
    """A noun phrase that opens the sentence and is set off by a comma right before the name or
    its title ("A paramilitary spokesman, Brig. Gen. X, denied ..."), which the parser often
    leaves unattached when a title intervenes."""
    if before < 2 or doc[before - 1].text != ",":
        return None
    i = before - 2
    while i >= 0 and i not in starts and (doc[i].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "PART") or _nounish(doc[i])
                                          or doc[i].tag_ in ("POS", "HYPH")):
        i -= 1
    if i < 0 or i not in starts or before - 1 - i > MAX_ROLE_TOKENS:
        return None
    last = doc[before - 2]
    if not (last.text.islower() and _nounish(last)) or not (doc[i].pos_ in ("DET", "ADJ", "NOUN") or _nounish(doc[i])):
        return None
    return _phrase(doc, i, before - 1)


def _cut_clause(doc, lo: int, hi: int) -> int:
    """End of an appositive: stop at a comma, relative pronoun or finite verb past the head."""
    for k in range(lo, min(hi, lo + MAX_ROLE_TOKENS + 1)):
        tok = doc[k]
        if k > lo and (tok.text in (",", ";", "(", ")") or tok.lower_ in _RELATIVE or tok.tag_ in _FINITE_TAGS):
            return k
    return min(hi, lo + MAX_ROLE_TOKENS)


def _comma_phrase(doc, lo: int, starts: frozenset[int]) -> str | None:
    """A verbless noun phrase between commas right after a name, e.g. ", a nurse at the hospital,"."""
    if lo >= len(doc):
        return None
    first = doc[lo]
    if not (first.lower_ in ("a", "an", "the") or first.text.islower() and first.pos_ in ("NOUN", "ADJ")):
        return None
    k = lo
    while k < len(doc) and doc[k].text not in (",", ";") and k + 1 not in starts:
        tok = doc[k]
        if tok.lower_ in _RELATIVE and k > lo:
            return _phrase(doc, lo, k)  # "a retired teacher who lives ...": the role ends here
        if tok.tag_ in _FINITE_TAGS or k - lo > MAX_ROLE_TOKENS:
            return None
        k += 1
    if k < len(doc) and k + 1 in starts and doc[k].text not in (",", ";", "."):
        k += 1
    return _phrase(doc, lo, k)


def _phrase(doc, lo: int, hi: int) -> str | None:
    """Article text of tokens [lo, hi) without leading determiners; None if nothing is left."""
    while lo < hi and (doc[lo].lower_ in _DROP_LEADING or doc[lo].is_punct or doc[lo].like_num):
        lo += 1
    while hi > lo and doc[hi - 1].is_punct and doc[hi - 1].text not in (")",):
        hi -= 1
    if hi <= lo or hi - lo > MAX_ROLE_TOKENS:
        return None
    if not any(t.pos_ in ("NOUN", "PROPN") for t in doc[lo:hi]):
        return None
    return clean_role(doc[lo:hi].text)
