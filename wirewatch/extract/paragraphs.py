"""A spaCy component that starts a sentence at every paragraph break and bullet.

The small English parser happily glues a heading ("Russia's Strategic Stance") onto the next
sentence, which damages the parse every extractor reads. The parser respects boundaries set
before it runs, so marking the obvious ones here fixes headings and bullet lists for all of them.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "wirewatch_paragraphs"
_BULLETS = {"•", "▪", "◦", "‣", "·", "-", "*", "–", "—"}
_LINE_END = (".", "!", "?", ":", '"', "”", "’", ")")


@Language.component(COMPONENT)
def mark_paragraphs(doc: Doc) -> Doc:
    """Set `is_sent_start` after blank lines, after lines that end a sentence, and at bullets."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        token = doc[i]
        if token.is_space:
            continue
        newline = "\n" in prev.text if prev.is_space else "\n" in prev.whitespace_
        if not newline:
            continue
        blank_line = (prev.text.count("\n") >= 2) if prev.is_space else prev.whitespace_.count("\n") >= 2
        before = doc[i - 2] if prev.is_space and i >= 2 else prev
        if blank_line or token.text in _BULLETS or before.text.endswith(_LINE_END):
            token.is_sent_start = True
            # A bullet and its item are one sentence, not a lone "•" followed by the item.
            if token.text in _BULLETS and i + 1 < len(doc) and not doc[i + 1].is_space:
                doc[i + 1].is_sent_start = False
    return doc


def add_to(nlp: Language) -> Language:
    """Insert the component before the parser (idempotent)."""
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser" if "parser" in nlp.pipe_names else None)
    return nlp
