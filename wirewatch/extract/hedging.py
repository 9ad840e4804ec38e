"""Find the words that keep a clause from being asserted as fact ("reportedly", "could", "estimated").

A cue counts only where it bears on the clause: adverbs and modals attached to the clause's
verb chain, the verb itself when it is an epistemic passive ("is believed", "assessed as low",
"is said to"), attributive hedges on any of its nouns ("alleged", "an estimated 50,000"), and
"according to". Cues inside other clauses (a relative clause's "could") are not the clause's.
"""
from __future__ import annotations

HEDGE_ADVERBS = frozenset({
    "reportedly", "allegedly", "apparently", "purportedly", "possibly", "probably", "likely",
    "presumably", "seemingly", "supposedly", "potentially", "perhaps", "maybe", "ostensibly",
    "unconfirmed", "reputedly",
})
HEDGE_MODALS = frozenset({"could", "may", "might"})
# Verbs that hedge when the clause is their passive ("are assessed as low", "is believed to").
EPISTEMIC_PASSIVES = frozenset({
    "estimate", "assess", "believe", "think", "suspect", "allege", "report", "say", "rumor", "rumour",
    "understand", "expect", "consider", "fear", "presume", "claim", "know",
})
# Verbs that hedge their complement in the active voice ("appears to", "seems to"), or that
# present evidence as pointing somewhere rather than establishing it ("photos suggested a tornado").
RAISING_VERBS = frozenset({"appear", "seem", "suggest"})
# Speech and belief verbs whose reported clause the speaker only alleges or believes
# ("campaigners claim", "analysts believe", "the union alleges"): the clause is hedged.
HEDGE_FRAME_VERBS = frozenset({"allege", "claim", "believe", "think", "suspect", "fear", "suggest", "estimate", "speculate"})
HEDGE_ADJECTIVES = frozenset({
    "alleged", "suspected", "estimated", "unconfirmed", "purported", "reported", "apparent",
    "possible", "likely", "presumed", "unverified", "rumored", "rumoured",
})
_CHAIN_DEPS = ("xcomp", "aux", "auxpass", "advmod", "neg", "acomp")


def verb_chain(head):
    """The clause's verb and the verbs it governs through xcomp ("is said to be plotting")."""
    chain = [head]
    tok = head
    while True:
        nxt = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
        if nxt is None or len(chain) > 5:
            return chain
        chain.append(nxt)
        tok = nxt


def _passive(tok) -> bool:
    return tok.tag_ == "VBN" and any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def find_hedges(head, clause_tokens) -> list[str]:
    """Return the hedge cues (lower-cased, in text order) that bear on the clause headed by `head`."""
    cues: dict[int, str] = {}
    for verb in verb_chain(head):
        lemma = verb.lemma_.lower()
        if lemma in EPISTEMIC_PASSIVES and _passive(verb):
            cues[verb.i] = verb.lower_
        if lemma in RAISING_VERBS:
            cues[verb.i] = verb.lower_
        for child in verb.children:
            word = child.lower_
            if child.dep_ in ("advmod", "npadvmod") and word in HEDGE_ADVERBS:
                cues[child.i] = word
            elif child.dep_ == "aux" and word in HEDGE_MODALS:
                cues[child.i] = word
            elif child.dep_ == "acomp" and word in ("likely", "possible", "unclear", "unconfirmed"):
                cues[child.i] = word
            elif child.dep_ == "prep" and word == "according":
                cues[child.i] = "according to"
            elif child.lower_ == "according" and child.dep_ in ("prep", "advcl", "advmod"):
                cues[child.i] = "according to"
    for tok in clause_tokens:
        if tok.dep_ in ("amod", "advmod") and tok.lower_ in HEDGE_ADJECTIVES and tok.head.pos_ in ("NOUN", "PROPN", "NUM"):
            cues[tok.i] = tok.lower_
        elif tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.lemma_.lower() in EPISTEMIC_PASSIVES and tok.head.pos_ in ("NOUN", "PROPN", "PRON") \
                and any(c.dep_ == "xcomp" for c in tok.children):
            cues[tok.i] = tok.lower_  # "the items believed to have been taken"
    return [cues[i] for i in sorted(cues)]
