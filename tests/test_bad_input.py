"""The bad-input corpus (issue 7): each hostile or broken input gives a clear result in bounded time
and memory, and never stops the rest of a batch.

Every case is generated into tmp_path at test time, so no binary fixtures live in the repository.
A case either is rejected (with the file, the line where there is one, and a reason matching a
pattern) or is read into an article that passes a check. `KINDS` is the corpus; its size is the
figure issue 7 asks for.
"""
from __future__ import annotations

import gzip
import json
import random
import re
import time
import tracemalloc
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from wirewatch.config import Limits
from wirewatch.ingest import expand_paths, read_path
from wirewatch.model import Article, Rejection

GOOD = "Harbour crane collapses in Lennmouth\n\nA crane fell onto a container ship in Lennmouth on Friday, the port said.\n"
MB = 1 << 20


def _text(body: str, title: str = "Council vote delayed in Arnsby") -> bytes:
    return f"{title}\n\n{body}\n".encode("utf-8")


def _gzip_bomb(member_plain: bytes, members: int) -> bytes:
    """A gzip file of repeated members: small on disk, `len(member_plain) * members` bytes unpacked."""
    return gzip.compress(member_plain, compresslevel=9) * members


def _tar_bytes() -> bytes:
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        member = tarfile.TarInfo("story.txt")
        payload = _text("An archived story.")
        member.size = len(payload)
        archive.addfile(member, io.BytesIO(payload))
    return buffer.getvalue()


def _truncated_gzip() -> bytes:
    words = random.Random(3).choices(["grain", "port", "vote", "river", "strike", "talks", "toll"], k=20_000)
    packed = gzip.compress(_text(" ".join(words)))
    return packed[: len(packed) // 2]


def _billion_laughs() -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(levels) + "\n]>\n"
            '<rss version="2.0"><channel><title>Laughs</title><item><title>Boom &lol9;</title>'
            "<description>&lol9;</description></item></channel></rss>").encode()


def _xxe() -> bytes:
    return (b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            b'<rss version="2.0"><channel><title>Leak</title><item><title>Leak</title>'
            b"<description>secret: &xxe;</description></item></channel></rss>")


def _deep_html(levels: int) -> bytes:
    return ("<html><head><title>Deep page</title></head><body>" + "<div>" * levels
            + "<p>Residents of Corrow were told to boil water after a main burst, the utility said.</p>"
            + "</div>" * levels + "</body></html>").encode()


def _jsonl_mixed() -> bytes:
    return "\n".join([
        json.dumps({"title": "Wind farm approved", "text": "The Skelby wind farm was approved on Monday."}),
        '{"title": "broken", "text": "no closing brace"',
        json.dumps("just a string"),
        json.dumps({"title": "No text at all", "url": "https://x.example/n"}),
        json.dumps({"title": "Numbers instead of text", "text": 42}),
        "[" * 100_000 + "]" * 100_000,
        '{"title": "Huge number", "text": "x", "n": ' + "9" * 5000 + "}",
        json.dumps({"title": "Rail strike ends", "text": "Rail staff in Skelby returned to work."}),
    ]).encode()


@dataclass
class Kind:
    """One kind of bad input: how to make it, and what reading it must give."""

    name: str
    filename: str
    make: Callable[[], bytes]
    reject: str | None = None  # regex every rejection's reason must match (None: must be accepted)
    lines: tuple[int, ...] = ()  # expected rejection line numbers, for JSON Lines
    accepted: int | None = None  # expected number of articles
    check: Callable[[list[Article]], bool] = lambda arts: True
    limits: Limits = field(default_factory=Limits)
    seconds: float = 3.0
    peak_mb: float = 60.0


KINDS = [
    Kind("PNG image named .txt", "photo.txt", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
         reject=r"^binary file \(PNG image\)$"),
    Kind("ELF executable", "tool.txt", lambda: b"\x7fELF\x02\x01\x01" + bytes(2000), reject=r"^binary file \(ELF executable\)$"),
    Kind("PDF document", "report.html", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", reject=r"^binary file \(PDF document\)$"),
    Kind("ZIP archive named .jsonl", "batch.jsonl", lambda: b"PK\x03\x04" + bytes(100), reject=r"^binary file \(ZIP archive\)$"),
    Kind("gzipped tar archive", "bundle.txt.gz", lambda: gzip.compress(_tar_bytes()), reject=r"^binary file \(tar archive\)$"),
    Kind("random bytes", "noise.txt", lambda: random.Random(7).randbytes(64 * 1024),
         reject=r"^binary file \(\d+% control bytes, including NUL\)$"),
    Kind("empty file", "empty.txt", lambda: b"", reject=r"^empty file$"),
    Kind("whitespace only", "blank.txt", lambda: b" \n\t\r\n   \n", reject=r"^empty file \(whitespace only\)$"),
    Kind("headline without body", "title-only.txt", lambda: b"Just a headline\n\n\n", reject=r"^no body text after the headline$"),
    Kind("truncated gzip", "cut.txt.gz", _truncated_gzip,
         reject=r"^truncated gzip \("),
    Kind("corrupt gzip", "bad.txt.gz", lambda: gzip.compress(_text("body"))[:10] + b"\xff" * 64,
         reject=r"^corrupt gzip data \("),
    Kind("gzip bomb, 10 MB of zeros, limit lowered to 1 MB", "zeros.txt.gz", lambda: gzip.compress(bytes(10 * MB)),
         reject=r"^gzip data expands to over the 1,048,576-byte limit", limits=Limits(max_file_bytes=MB), peak_mb=10),
    Kind("compressed HTML expanding to 2 GB (default limit)", "page.html.gz",
         lambda: _gzip_bomb(b"<div>" * (MB // 5 * 4), 512),
         reject=r"^gzip data expands to over the 20,971,520-byte limit", peak_mb=80),
    Kind("50 MB text file", "huge.txt", lambda: b"", reject=r"^file is 52,428,800 bytes, over the 20,971,520-byte limit",
         seconds=1.0, peak_mb=2),  # written sparse by the test: the content is never read
    Kind("invalid UTF-8 (cp1252 bytes)", "legacy.txt", lambda: b"Council vote delayed\n\nPrices rose 5\x80 \x93overnight\x94.\n",
         accepted=1, check=lambda arts: arts[0].text == "Prices rose 5€ “overnight”." and arts[0].extra["encoding"] == "cp1252"),
    Kind("mixed UTF-8 and latin-1 in one file", "mixed.txt",
         lambda: "Café reopens in Dörrby\n\nThe café ".encode() + b"reopened, the owner Ren\xe9e said.\n",
         accepted=1, check=lambda arts: arts[0].title == "Café reopens in Dörrby" and "Renée said" in arts[0].text
         and arts[0].extra["encoding"] == "utf-8+cp1252"),
    Kind("UTF-16 without a BOM", "wide.txt", lambda: _text("Ferries ran late.").decode().encode("utf-16-le"),
         accepted=1, check=lambda arts: arts[0].text == "Ferries ran late."),
    Kind("JSON Lines: broken line, non-object lines, no text, wrong type, deep nesting, huge number",
         "mixed.jsonl", _jsonl_mixed, reject=r"^(invalid JSON \(.+\)|record has no 'text'|record is a string, not a JSON object"
         r"|record's 'text' is a number, not a string)$", lines=(2, 3, 4, 5, 6, 7), accepted=2,
         check=lambda arts: [a.extra["line"] for a in arts] == [1, 8]),
    Kind("HTML nested 10,000 levels deep", "deep.html", lambda: _deep_html(10_000), accepted=1,
         check=lambda arts: "boil water" in arts[0].text and arts[0].title == "Deep page"),
    Kind("HTML with a 5 MB attribute", "attr.html", lambda: (b'<html><body><h1>Big attribute</h1><div data-x="' + b"a" * (5 * MB)
         + b'"><p>Turbine maker cuts 300 jobs in Halvik, the union said.</p></div></body></html>'), accepted=1,
         check=lambda arts: "300 jobs" in arts[0].text and len(arts[0].text) < 1000),
    Kind("RSS with billion-laughs entity expansion", "laughs.rss", _billion_laughs,
         reject=r"^feed declares 10 XML entities in its DOCTYPE; refused.*billion laughs", peak_mb=5),
    Kind("RSS with an external entity (XXE)", "xxe.xml", _xxe, reject=r"^feed declares external XML entities \(XXE"),
    Kind("XML that is not a feed", "sitemap.xml", lambda: b'<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>',
         reject=r"^not an RSS/Atom feed"),
    Kind("control characters in text", "ctrl.txt", lambda: _text("Bell\x07 escape\x1b[31m and NUL\x00 gone.\x0c Next."),
         accepted=1, check=lambda arts: arts[0].text == "Bell escape[31m and NUL gone.\n Next."),
    Kind("right-to-left text", "rtl.txt", lambda: "اجتماع طارئ في المدينة\n\nقال المتحدث إن \u202bالاجتماع\u202c عُقد يوم الاثنين.\n".encode(),
         accepted=1, check=lambda arts: arts[0].title == "اجتماع طارئ في المدينة" and "\u202b" in arts[0].text),
    Kind("1 MB single-line token", "token.txt", lambda: _text("x" * MB),
         reject=r"^article body is 1,048,576 characters, over the 300,000-character limit"),
    Kind("200,000-character line within limits", "longline.txt", lambda: _text("y" * 200_000), accepted=1,
         check=lambda arts: len(arts[0].text) == 200_000),
    Kind("JSON string escapes: lone surrogate, NUL, line separator", "esc.jsonl",
         lambda: b'{"title": "Esc\\u0000aped", "text": "A\\ud800B\\u2028C\\r\\nD"}', accepted=1,
         check=lambda arts: arts[0].title == "Escaped" and arts[0].text == "AB\nC\nD"),
    Kind("JSON record with a 2 MB title", "longtitle.jsonl", lambda: json.dumps({"title": "T" * (2 * MB), "text": "Short body."}).encode(),
         accepted=1, check=lambda arts: len(arts[0].title) == 1000 and arts[0].title.endswith("…")),
    Kind("missing file", "", lambda: b"", reject=r"^no such file$"),
]


@pytest.fixture(scope="module", autouse=True)
def warm_readers():
    """Load the parsers once first, so time and memory figures measure the input, not imports."""
    from wirewatch.ingest import read_bytes

    list(read_bytes(b"<html><body><h1>Warm</h1><p>Up text for the parser.</p></body></html>", "warm.html", Limits()))
    list(read_bytes(b'<rss version="2.0"><channel><title>W</title><item><title>W</title>'
                    b"<description>Up.</description></item></channel></rss>", "warm.rss", Limits()))


def _materialize(kind: Kind, tmp_path: Path) -> str:
    if kind.name == "missing file":
        return str(tmp_path / "does-not-exist.txt")
    path = tmp_path / kind.filename
    if kind.name == "50 MB text file":
        with open(path, "wb") as handle:  # sparse: instant to create, 50 MiB by size
            handle.seek(50 * MB - 1)
            handle.write(b"\n")
    else:
        path.write_bytes(kind.make())
    return str(path)


def _read(path: str, limits: Limits) -> tuple[list, float, float]:
    tracemalloc.start()
    started = time.perf_counter()
    items = list(read_path(path, limits))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    return items, elapsed, peak


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_bad_input_kind(kind: Kind, tmp_path):
    path = _materialize(kind, tmp_path)
    items, elapsed, peak = _read(path, kind.limits)
    assert elapsed < kind.seconds, f"{kind.name} took {elapsed:.2f}s"
    assert peak < kind.peak_mb, f"{kind.name} peaked at {peak:.1f} MB"
    rejected = [i for i in items if isinstance(i, Rejection)]
    found = [i for i in items if isinstance(i, Article)]
    if kind.reject:
        assert rejected, f"{kind.name}: nothing rejected"
        for rejection in rejected:
            assert rejection.path == path
            assert re.search(kind.reject, rejection.reason), rejection.reason
            assert str(rejection).startswith(path)
        if kind.lines:
            assert tuple(r.line for r in rejected) == kind.lines
            assert all(str(r).startswith(f"{path}:{r.line}: ") for r in rejected)
    else:
        assert not rejected, [str(r) for r in rejected]
    if kind.accepted is not None:
        assert len(found) == kind.accepted
        assert kind.check(found)
        for article in found:
            assert "\r" not in article.text and "\x00" not in article.text
    elif not kind.reject:
        pytest.fail("a kind must expect rejections or articles")


def test_mixed_batch_keeps_going(tmp_path):
    """All bad inputs in one directory with good ones: every bad one reported, every good one read."""
    for kind in KINDS:
        if kind.name not in ("missing file", "50 MB text file") and kind.limits == Limits():
            _materialize(kind, tmp_path)
    (tmp_path / "good-1.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "good-2.jsonl").write_text(json.dumps({"title": "Good record", "text": "A usable record."}), encoding="utf-8")
    started = time.perf_counter()
    files = expand_paths([str(tmp_path), str(tmp_path / "gone.txt")])
    results = {f: list(read_path(f, Limits())) for f in files}
    assert time.perf_counter() - started < 15
    titles = {i.title for items in results.values() for i in items if isinstance(i, Article)}
    assert {"Harbour crane collapses in Lennmouth", "Good record", "Wind farm approved", "Deep page"} <= titles
    rejected_files = {r.path for items in results.values() for r in items if isinstance(r, Rejection)}
    assert str(tmp_path / "gone.txt") in rejected_files
    for name in ("photo.txt", "noise.txt", "cut.txt.gz", "page.html.gz", "laughs.rss", "xxe.xml", "token.txt"):
        assert str(tmp_path / name) in rejected_files, name


def test_corpus_size():
    """Issue 7 asks how many bad-input kinds were tried; keep the corpus from shrinking silently."""
    assert len(KINDS) >= 25
    assert len({k.name for k in KINDS}) == len(KINDS)


def test_zlib_bomb_rejection_does_not_inflate_past_the_limit():
    """The cap is enforced while inflating, not after: output is bounded by the limit plus one step."""
    from wirewatch.ingest.sources import CHUNK, InputProblem, gunzip

    bomb = _gzip_bomb(bytes(4 * MB), 64)  # 256 MB when unpacked
    tracemalloc.start()
    with pytest.raises(InputProblem):
        gunzip(bomb, 2 * MB)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2 * MB + 4 * CHUNK + len(bomb)
    assert zlib.decompress(bomb[:len(gzip.compress(bytes(4 * MB), compresslevel=9))], wbits=31) == bytes(4 * MB)


def test_feedparser_itself_expands_no_entities():
    """Defence in depth: even past our DOCTYPE check, feedparser neither reads files nor expands."""
    import io

    import feedparser

    for data in (_xxe(), _billion_laughs()):
        parsed = feedparser.parse(io.BytesIO(data))
        dumped = json.dumps(parsed, default=str)
        assert "root:" not in dumped and "lollollol" not in dumped


def test_entity_declaration_hidden_after_a_long_comment_is_still_refused(tmp_path):
    path = tmp_path / "padded.rss"
    path.write_bytes(b'<?xml version="1.0"?>\n<!--' + b" pad" * 40_000 + b"-->\n" + _xxe().split(b"\n", 1)[1])
    [rejection] = list(read_path(str(path), Limits()))
    assert "XXE" in rejection.reason


def test_html_with_entity_declarations_leaks_nothing(tmp_path):
    path = tmp_path / "xxe.html"
    path.write_bytes(b'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">]>\n'
                     b"<html><head><title>Entity page</title></head><body><h1>Entity page</h1>"
                     b"<p>Flood defences in Tarrow held overnight, the council said. &xxe; &a;&a;&a;</p></body></html>")
    items = list(read_path(str(path), Limits()))
    for item in items:
        if isinstance(item, Article):
            assert "root:" not in item.text and "aaaaaaaaaa" not in item.text
