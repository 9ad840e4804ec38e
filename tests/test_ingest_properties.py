"""Property tests for the readers: any input gives articles or rejections, never a crash, and the
invariants later stages rely on (clean text, stable ids, sources out of the body) always hold."""
from __future__ import annotations

import gzip
import json
import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from wirewatch.config import Limits
from wirewatch.errors import WirewatchError
from wirewatch.ingest import INTERNAL_ERROR, read_bytes, read_path
from wirewatch.ingest.ids import article_id
from wirewatch.model import Article, Rejection

BUDGET = settings(max_examples=int(__import__("os").environ.get("WW_EXAMPLES", 60)), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LIMITS = Limits(max_file_bytes=64 * 1024, max_article_chars=20_000)
EXTENSIONS = ["txt", "html", "xml", "rss", "jsonl", "json", "md", "bin", "txt.gz", "html.gz"]
FORBIDDEN = re.compile("[\r\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")

# Inputs that look like each format, with arbitrary parts, reach deeper than raw bytes alone.
_fragments = st.sampled_from([
    b"<html><body><p>", b"</p>", b"<div>", b"<rss version=\"2.0\"><channel><title>T</title><item><title>",
    b"</title><description>", b"</description></item>", b"</channel></rss>", b'{"title": "', b'", "text": "',
    b'"}\n', b"\nSources:\n", b"\n- ", b"<!DOCTYPE x [<!ENTITY e \"x\">]>", b"\r\n", b"\x00", b"\xe9", b"\xef\xbb\xbf",
    b"By Ana Lind\n", b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>", b"&amp;", b"<!--", b"\x1f\x8b",
])
structured = st.lists(st.one_of(_fragments, st.binary(max_size=40), st.text(max_size=40).map(str.encode)),
                      max_size=30).map(b"".join)


def _check(items: list) -> None:
    for item in items:
        assert isinstance(item, (Article, Rejection))
        if isinstance(item, Rejection):
            assert isinstance(item.reason, str) and item.reason
            assert not item.reason.startswith(INTERNAL_ERROR), item.reason
            continue
        assert isinstance(item.title, str) and isinstance(item.text, str) and item.text.strip()
        assert not FORBIDDEN.search(item.text) and not FORBIDDEN.search(item.title)
        assert "\n" not in item.title
        assert len(item.text) <= LIMITS.max_article_chars
        assert item.id == article_id(item.title, item.text, item.outlet, item.url)
        assert item.format in ("text", "html", "feed", "jsonl")
        assert all(isinstance(s, str) and s for s in item.cited_sources)
        item.text.encode("utf-8")  # storable: no lone surrogates


@BUDGET
@given(data=st.one_of(st.binary(max_size=3000), structured), ext=st.sampled_from(EXTENSIONS))
def test_any_file_gives_articles_or_rejections(tmp_path, data, ext):
    if ext.endswith(".gz"):
        data = gzip.compress(data)
    path = tmp_path / f"input.{ext}"
    path.write_bytes(data)
    try:
        first = list(read_path(str(path), LIMITS))
    except WirewatchError:
        return
    _check(first)
    # reading the same input again gives the same ids: ingest is idempotent
    again = list(read_path(str(path), LIMITS))
    assert [getattr(i, "id", str(i)) for i in again] == [getattr(i, "id", str(i)) for i in first]


@BUDGET
@given(text=st.text(max_size=2000))
def test_any_text_sniffed_gives_articles_or_rejections(text):
    _check(list(read_bytes(text.encode("utf-8", errors="surrogatepass"), "-", LIMITS)))


_line = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=120).map(str.strip)
# Prose: words of any script split by spaces. A line of 120 unbroken symbols is noise, which the
# readers reject as binary by design (see ingest/sources.py), so it cannot test the splitting here.
_word = st.text(alphabet=st.characters(whitelist_categories=("L", "N", "P"), max_codepoint=0x24F), min_size=1, max_size=12)
_prose = st.lists(_word, min_size=1, max_size=16).map(" ".join)
_paragraph = _prose.filter(lambda s: s and not re.match(r"^[#*_> \t]*(sources?|references?|citations?)\b", s, re.I))
_source = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ,'", min_size=1, max_size=80).map(str.strip).filter(bool)


def _read_text(document: bytes, name: str) -> Article:
    """The one article a text document gives; skips the example when the readers call it noise.

    Random characters are what the binary-noise check exists to refuse (ingest/sources.py), so an
    example they refuse says nothing about the property under test.
    """
    [item] = list(read_bytes(document, name, LIMITS, "text"))
    assume(not (isinstance(item, Rejection) and "random or encoded data" in item.reason))
    assert isinstance(item, Article), item
    return item


@BUDGET
@given(title=_paragraph, paragraphs=st.lists(_paragraph, min_size=1, max_size=6),
       sources=st.lists(_source, min_size=1, max_size=5, unique=True),
       label=st.sampled_from(["Sources:", "Sources", "References:", "Source:"]), crlf=st.booleans())
def test_sources_block_is_split_off_exactly(title, paragraphs, sources, label, crlf):
    # a paragraph that is itself a byline or a date would be read as header metadata
    paragraphs[0] = "Reporters said: " + paragraphs[0]
    body = "\n\n".join(paragraphs)
    document = f"{title}\n\n{body}\n\n{label}\n" + "\n".join(f"- {s}" for s in sources) + "\n"
    if crlf:
        document = document.replace("\n", "\r\n")
    article = _read_text(document.encode("utf-8"), "x.txt")
    assert article.title == title.strip()
    assert article.text == body
    assert article.cited_sources == list(dict.fromkeys(sources))
    assert label.rstrip(":") not in article.text.split("\n")[-1]


_value = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
_record = st.fixed_dictionaries(
    {}, optional={"title": st.one_of(st.text(max_size=60), _value), "text": st.one_of(st.text(max_size=200), _value),
                  "url": _value, "published": _value, "author": _value, "outlet": _value,
                  "tags": st.lists(st.text(max_size=10), max_size=3), "x": _value})


@BUDGET
@given(records=st.lists(st.one_of(_record, _value), min_size=1, max_size=8), broken=st.sets(st.integers(0, 7)))
def test_jsonl_one_result_per_line_with_its_number(records, broken):
    lines = []
    for i, record in enumerate(records):
        line = json.dumps(record)
        lines.append(line[:-1] if i in broken and len(line) > 1 else line)
    items = list(read_bytes("\n".join(lines).encode("utf-8"), "r.jsonl", LIMITS, "jsonl"))
    _check(items)
    assert len(items) == len(lines)
    for number, item in enumerate(items, start=1):
        if isinstance(item, Rejection):
            assert item.line == number
        else:
            assert item.extra["line"] == number and item.raw == lines[number - 1].encode("utf-8")


@BUDGET
@given(title=_paragraph, body=st.lists(_paragraph, min_size=1, max_size=5).map("\n\n".join),
       newline=st.sampled_from(["\n", "\r\n", "\r"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_id_is_stable_across_newlines_and_encodings(title, body, newline, encoding):
    document = f"{title}\n\nReporters said: {body}\n"
    plain = _read_text(document.encode("utf-8"), "a.txt")
    variant = _read_text(document.replace("\n", newline).encode(encoding), "b.txt")
    assert variant.id == plain.id and variant.text == plain.text
