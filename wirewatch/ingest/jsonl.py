"""JSON Lines (and JSON) records: one article per object, each bad line rejected on its own.

A record needs a title and a text (`headline`; `body`, `content`, `article` are accepted as
aliases); `url`, `outlet`, `published`, `author` and `cited_sources` are read; every other key is
kept in `Article.extra`. A broken line, a non-object line or a record without text is a rejection
naming its 1-based line number; the other lines are still read. `raw` is the record's own line.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from wirewatch.config import Limits
from wirewatch.ingest.sources import decode
from wirewatch.ingest.text import build_article, iso_date
from wirewatch.model import Article, Rejection

TITLE_KEYS = ("title", "headline")
TEXT_KEYS = ("text", "body", "content", "article")
META_KEYS = ("url", "outlet", "published", "author")
SOURCE_KEYS = ("cited_sources", "sources")
_ALIASES = {"link": "url", "source": "outlet", "site_name": "outlet", "date": "published",
            "published_at": "published", "byline": "author"}


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def record_to_article(record: Any, path: str, limits: Limits, raw: bytes | None, line: int | None,
                      index: dict[str, int]) -> Article | Rejection:
    """Turn one decoded JSON value into an `Article`, or a `Rejection` saying what is missing."""
    if not isinstance(record, dict):
        return Rejection(path, f"record is {_type_name(record)}, not a JSON object", line)
    title_key = next((k for k in TITLE_KEYS if k in record), None)
    text_key = next((k for k in TEXT_KEYS if k in record), None)
    if text_key is None or record[text_key] in (None, ""):
        return Rejection(path, "record has no 'text'", line)
    text = record[text_key]
    if not isinstance(text, str):
        return Rejection(path, f"record's '{text_key}' is {_type_name(text)}, not a string", line)
    title = record.get(title_key) if title_key else None
    if title is not None and not isinstance(title, str):
        return Rejection(path, f"record's '{title_key}' is {_type_name(title)}, not a string", line)
    used = {title_key, text_key}
    meta: dict[str, Any] = {}
    for key in list(META_KEYS) + list(_ALIASES):
        target = _ALIASES.get(key, key)
        if key in record and target not in meta and isinstance(record[key], (str, int, float)) \
                and not isinstance(record[key], bool):
            meta[target] = record[key] if isinstance(record[key], str) else str(record[key])
            used.add(key)
    extra = {k: v for k, v in record.items() if k not in used and k not in SOURCE_KEYS}
    if "published" in meta:
        normalized = iso_date(meta["published"])
        if normalized is None:
            extra.setdefault("published_as_given", meta["published"])
        meta["published"] = normalized
    cited = next((record[k] for k in SOURCE_KEYS if isinstance(record.get(k), list)), [])
    cited = [c for c in cited if isinstance(c, str)]
    for key, value in index.items():
        extra.setdefault(key, value)
    item = build_article(path, title or "", text, limits, fmt="jsonl", raw=raw, line=line, cited=cited,
                         extra=extra, **meta)
    if isinstance(item, Rejection) and item.reason.startswith("no body text"):
        item.reason = "record has no 'text'"  # whitespace only, or only a Sources list
    return item


def _json_problem(err: Exception) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"invalid JSON ({err.msg} at column {err.colno})"
    if isinstance(err, RecursionError):
        return "invalid JSON (nested too deeply)"
    return f"invalid JSON ({err})"


def _loads(text: str) -> Any:
    # strict=False lets raw control characters through inside strings; build_article drops them.
    return json.loads(text, strict=False)


def read_jsonl(data: bytes, path: str, limits: Limits, extra: dict | None = None) -> Iterator[Article | Rejection]:
    """Read JSON Lines, or a JSON document holding one object or an array of objects."""
    # Not normalized before parsing: U+2028 or a stray \r inside a JSON string must stay inside it.
    text, encoding = decode(data, normalize=False)
    extra = dict(extra or {})
    if encoding not in ("utf-8", "utf-8-sig"):
        extra.setdefault("encoding", encoding)
    stripped = text.lstrip()
    if stripped.startswith("[") or (stripped.startswith("{") and _spans_lines(stripped)):
        try:
            document = _loads(text)
        except (ValueError, RecursionError) as err:
            if stripped.startswith("{"):
                document = None  # maybe JSON Lines after all; read line by line below
            else:
                line = err.lineno if isinstance(err, json.JSONDecodeError) else None
                yield Rejection(path, _json_problem(err), line)
                return
        if isinstance(document, list):
            for number, record in enumerate(document, start=1):
                raw = json.dumps(record, ensure_ascii=False).encode("utf-8", errors="replace")
                item = record_to_article(record, path, limits, raw, None, {"record": number, **extra})
                if isinstance(item, Rejection):
                    item.reason = f"record {number}: {item.reason}"
                yield item
            return
        if document is not None:
            yield record_to_article(document, path, limits, data, None, extra)
            return
    raw_lines = data.split(b"\n")
    lines = text.split("\n")
    aligned = len(raw_lines) == len(lines)
    for number, line_text in enumerate(lines, start=1):
        if not line_text.strip():
            continue
        raw = raw_lines[number - 1].rstrip(b"\r") if aligned else line_text.encode("utf-8", errors="replace")
        try:
            record = _loads(line_text)
        except (ValueError, RecursionError) as err:
            yield Rejection(path, _json_problem(err), number)
            continue
        yield record_to_article(record, path, limits, raw, number, {"line": number, **extra})


def _spans_lines(text: str) -> bool:
    """True when the first line is not a complete object: a pretty-printed document, not JSON Lines."""
    first = text.split("\n", 1)[0].rstrip()
    return "\n" in text.strip() and not first.endswith("}")
