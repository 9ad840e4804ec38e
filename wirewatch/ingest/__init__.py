"""Ingest: files, directories and stdin in; `Article`s (or `Rejection`s saying why not) out.

`expand_paths` lists the inputs; `read_path` reads one of them and never raises for bad input:
anything unusable comes back as a `Rejection(path, reason, line)` and the caller carries on.
Formats are chosen by extension, else by sniffing the content: plain text, HTML, RSS/Atom
feeds, JSON Lines / JSON, and gzip-compressed versions of each.

`Article.raw` keeps the input bytes after decompression: the whole file for text and HTML, the
record's own line for JSON Lines, the entry's XML for feeds (or its JSON when the entry cannot
be located in the bytes), so nothing read is lost. `Article.path` is the file ("-" for stdin);
records also carry their position in `extra` ("line", "record" or "entry").
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from wirewatch.config import Limits
from wirewatch.errors import WirewatchError
from wirewatch.ingest.feeds import read_feed
from wirewatch.ingest.html import html_to_text, read_html
from wirewatch.ingest.ids import article_id
from wirewatch.ingest.jsonl import read_jsonl
from wirewatch.ingest.sources import (STDIN, InputProblem, binary_kind, declared_charset, decode,
                                      expand_paths, format_for, gunzip, is_gzip, load_bytes, sniff_format)
from wirewatch.ingest.text import read_text
from wirewatch.model import Article, Rejection

__all__ = ["expand_paths", "read_path", "read_bytes", "article_id", "html_to_text", "FORMATS"]

FORMATS = ("text", "html", "feed", "jsonl")
INTERNAL_ERROR = "internal error while reading"  # a reader bug, not bad input: tests assert it never appears


def read_path(path: str, limits: Limits | None = None, stdin: BinaryIO | None = None) -> Iterator[Article | Rejection]:
    """Yield the articles in one input file ("-" for stdin), or rejections saying what was wrong."""
    limits = limits or Limits()
    try:
        data = load_bytes(path, limits.max_file_bytes, stdin=stdin)
    except InputProblem as problem:
        yield Rejection(path, str(problem))
        return
    yield from read_bytes(data, path, limits, fmt=None if path == STDIN else format_for(path))


def read_bytes(data: bytes, path: str, limits: Limits | None = None, fmt: str | None = None) -> Iterator[Article | Rejection]:
    """Yield the articles in input bytes already in memory (a file's, stdin's, an upload's).

    `fmt` is one of FORMATS, or None to sniff it from the content.
    """
    limits = limits or Limits()
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown input format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if len(data) > limits.max_file_bytes:
        yield Rejection(path, f"input is {len(data):,} bytes, over the {limits.max_file_bytes:,}-byte limit "
                              "(WIREWATCH_MAX_FILE_BYTES)")
        return
    if is_gzip(data):
        try:
            data = gunzip(data, limits.max_file_bytes)
        except InputProblem as problem:
            yield Rejection(path, str(problem))
            return
    if not data.strip():
        yield Rejection(path, "empty file" if data == b"" else "empty file (whitespace only)")
        return
    kind = binary_kind(data)
    if kind:
        yield Rejection(path, f"binary file ({kind})")
        return
    try:
        yield from _dispatch(data, path, limits, fmt)
    except RecursionError:
        yield Rejection(path, "input nested too deeply to read")
    except MemoryError:
        yield Rejection(path, "input too large to read in memory")
    except WirewatchError:
        raise
    except Exception as err:  # noqa: BLE001 - one unreadable file must not stop a batch of thousands
        yield Rejection(path, f"{INTERNAL_ERROR} ({type(err).__name__}: {err}); please report it")


def _dispatch(data: bytes, path: str, limits: Limits, fmt: str | None) -> Iterator[Article | Rejection]:
    if fmt == "feed" or fmt == "jsonl":
        reader = read_feed if fmt == "feed" else read_jsonl
        yield from reader(data, path, limits)
        return
    text, encoding = decode(data, declared=declared_charset(data) if fmt != "text" else None)
    if not text.strip():
        yield Rejection(path, "empty file (only control characters or whitespace)")
        return
    fmt = fmt or sniff_format(text)
    # Only a legacy or unusual encoding is worth recording; UTF-8 is the norm.
    extra = {} if encoding in ("utf-8", "utf-8-sig") else {"encoding": encoding}
    if fmt == "html":
        yield from read_html(text, path, limits, data, extra)
    elif fmt == "feed":
        yield from read_feed(data, path, limits, extra)
    elif fmt == "jsonl":
        yield from read_jsonl(data, path, limits, extra)
    else:
        yield from read_text(text, path, limits, data, extra)

