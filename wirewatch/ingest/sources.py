"""Getting input bytes safely: paths and directories, stdin, size caps, gzip, binary checks, decoding.

Everything here is defensive: a file can be huge, a gzip can expand to gigabytes or end early,
a "text" file can be an image or in a legacy encoding. Each problem becomes a plain-English
reason (`InputProblem`) that the caller turns into a `Rejection`; memory stays bounded by
`Limits.max_file_bytes` whatever the input.
"""
from __future__ import annotations

import codecs
import math
import os
import re
import sys
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable
from typing import BinaryIO

from wirewatch.ingest.text import normalize_text

STDIN = "-"
CHUNK = 1 << 20

# Extensions a directory walk picks up, by the format they announce; ".gz" versions too.
FORMATS_BY_EXTENSION: dict[str, str | None] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".xml": None, ".rss": "feed", ".atom": "feed",  # .xml may be a feed or XHTML: sniffed
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
}
# Markdown in a directory is usually documentation; it is read only when named explicitly.
WALKED_EXTENSIONS = set(FORMATS_BY_EXTENSION) - {".md"}
# Metadata that travels with corpora and is not an article.
SKIPPED_STEMS = {"manifest", "readme", "license", "licence", "changelog", "package", "package-lock"}

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"%PDF-", "PDF document"), (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"), (b"\x7fELF", "ELF executable"), (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"), (b"\xff\xd8\xff", "JPEG image"), (b"BZh91AY&SY", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"), (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"), (b"SQLite format 3\x00", "SQLite database"),
(b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", "Mach-O binary"), (b"OggS\x00", "Ogg media"), (b"ID3\x03\x00", "MP3 audio"), (b"ID3\x04\x00", "MP3 audio"),
    (b"\x00\x00\x01\x00", "icon image"), (b"wOFF\x00", "web font"), (b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Microsoft Office document"), (b"\x28\xb5\x2f\xfd", "zstd archive"),
)
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}
_GZIP_MAGIC = b"\x1f\x8b"
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{2,40})""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.-]{2,40})["']""")


class InputProblem(Exception):
    """A reason, in plain English, why an input cannot be used (internal: becomes a Rejection)."""


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Return the input files named by `paths`: files as given, directories walked, "-" for stdin.

    Directories are walked recursively in sorted order, skipping hidden entries, known metadata
    files (MANIFEST, README...) and extensions that are not inputs; a file named explicitly is
    always kept, even a missing one, so that reading it reports the problem.
    """
    files: list[str] = []
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files.extend(os.path.join(root, n) for n in sorted(names) if _walked(n))
        else:
            files.append(path)
    return files


def _walked(name: str) -> bool:
    if name.startswith("."):
        return False
    base = name[:-3] if name.lower().endswith(".gz") else name
    stem, ext = os.path.splitext(base)
    return ext.lower() in WALKED_EXTENSIONS and stem.lower() not in SKIPPED_STEMS


def format_for(path: str) -> str | None:
    """Return the format a file name announces ("text", "html", "feed", "jsonl"), else None."""
    name = path[:-3] if path.lower().endswith(".gz") else path
    return FORMATS_BY_EXTENSION.get(os.path.splitext(name)[1].lower())


def _limit_reason(size: int, limit: int, what: str = "file is") -> str:
    return f"{what} {size:,} bytes, over the {limit:,}-byte limit (WIREWATCH_MAX_FILE_BYTES)"


def load_bytes(path: str, max_bytes: int, stdin: BinaryIO | None = None) -> bytes:
    """Read a file (or stdin for "-") into memory, never holding more than the cap."""
    if path == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = _read_capped(stream, max_bytes + 1)
        if len(data) > max_bytes:
            raise InputProblem(f"standard input is over the {max_bytes:,}-byte limit (WIREWATCH_MAX_FILE_BYTES)")
    else:
        try:
            if not os.path.exists(path):
                raise InputProblem("no such file")
            if os.path.isdir(path):
                raise InputProblem("is a directory")
            if not os.path.isfile(path):
                raise InputProblem("not a regular file")
            size = os.path.getsize(path)
            if size > max_bytes:
                raise InputProblem(_limit_reason(size, max_bytes))
            with open(path, "rb") as handle:
                data = _read_capped(handle, max_bytes + 1)
        except PermissionError:
            raise InputProblem("permission denied") from None
        except OSError as err:
            raise InputProblem(f"cannot be read ({err.strerror or err})") from None
        if len(data) > max_bytes:  # grew while we looked
            raise InputProblem(_limit_reason(len(data), max_bytes))
    return data


def _read_capped(stream: BinaryIO, cap: int) -> bytes:
    """Read at most `cap` bytes in chunks: read(cap) would allocate the whole cap up front."""
    chunks: list[bytes] = []
    total = 0
    while total < cap:
        chunk = stream.read(min(CHUNK, cap - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def is_gzip(data: bytes) -> bool:
    """True when `data` starts with the gzip magic number (whatever the file is called)."""
    return data[:2] == _GZIP_MAGIC


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip (several members allowed) in bounded steps; refuse output over `max_bytes`."""
    out: list[bytes] = []
    total = 0
    pending = data
    while pending:
        inflater = zlib.decompressobj(wbits=31)
        chunk_in = pending
        try:
            while True:
                # max_length bounds each step's output, so a bomb never materializes in memory.
                piece = inflater.decompress(chunk_in, CHUNK)
                total += len(piece)
                if total > max_bytes:
                    raise InputProblem(f"gzip data expands to over the {max_bytes:,}-byte limit "
                                       "(WIREWATCH_MAX_FILE_BYTES); a compression bomb?")
                out.append(piece)
                chunk_in = inflater.unconsumed_tail
                if inflater.eof or (not chunk_in and not piece):
                    break
        except zlib.error as err:
            raise InputProblem(f"corrupt gzip data ({err})") from None
        if not inflater.eof:
            raise InputProblem(f"truncated gzip (ended after {total:,} bytes of output, before the end-of-stream marker)")
        pending = inflater.unused_data.lstrip(b"\x00")  # trailing padding is allowed
        if pending and pending[:2] != _GZIP_MAGIC:
            break  # trailing garbage after a complete member: keep what was decoded, as gzip(1) does
    return b"".join(out)


def binary_kind(data: bytes) -> str | None:
    """Return why `data` looks binary ("PNG image", "12% control bytes, including NUL"), else None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[257:262] == b"ustar":
        return "tar archive"
    if data[:4] == b"RIFF" and data[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[data[8:12]]
    wide = _wide_encoding(data)
    if wide:
        # Wide encodings are full of zero bytes; judge their decoded characters instead.
        sample = data[:65536].decode(wide, errors="replace")
        controls = len(_CONTROL_CHARS.findall(sample))
    else:
        sample = data[:65536]
        controls = len(_CONTROL_BYTES.findall(sample))
    if sample and controls / len(sample) > 0.05:
        nul = ", including NUL" if ("\x00" if wide else b"\x00") in sample else ""
        return f"{controls / len(sample):.0%} control bytes{nul}"
    if wide:
        odd = sum(1 for ch in sample if ch == "\ufffd" or unicodedata.category(ch) in ("Cn", "Co"))
        if len(sample) >= _MIN_NOISE_SAMPLE and odd / len(sample) > 0.08:
            # Random bytes after a chance BOM decode to unassigned, private and broken characters.
            return f"random or encoded data: {odd / len(sample):.0%} unassigned or invalid characters as {wide}"
        return None
    return _noise_kind(data)


# Noise is judged on windows spread over the whole input, so that one large encoded blob (an
# inline base64 image at the top of a page) does not condemn the article after it.
_MIN_NOISE_SAMPLE = 512
_WINDOW = 1024
_WINDOWS = 32
_NOISY_SHARE = 0.75
_WHITESPACE = frozenset(b" \t\n\r")
# Character entropy per 1 KB window: English prose measures about 4.2 bits, news pages, feeds and
# markup 4.8-5.1 (the samples, minified); base64 5.9, random printable ASCII 6.5, random Latin-1 7.5.
NOISE_BITS = 5.6


def _noise_kind(data: bytes) -> str | None:
    """Why bytes without control characters still are not text: random or encoded data, else None.

    A window is noise when its bytes are not UTF-8 and mostly above 0x7f with hardly any
    whitespace (a legacy-encoded article has a few accented letters, not a majority), or when its
    characters are as varied as random data (base64, scrambled or random characters; a long run of
    one letter is not). Scripts written without spaces between words (Chinese, Japanese, Thai...)
    are valid UTF-8 with many distinct characters, so they are exempt from the second test.
    """
    if len(data) < _MIN_NOISE_SAMPLE:
        return None
    step = max(_WINDOW, (len(data) - _WINDOW) // (_WINDOWS - 1) if len(data) > _WINDOW else _WINDOW)
    windows = [data[i:i + _WINDOW] for i in range(0, max(1, len(data) - _WINDOW // 2), step)][:_WINDOWS]
    verdicts = [_noisy_window(w) for w in windows if len(w) >= _MIN_NOISE_SAMPLE // 2]
    noisy = [v for v in verdicts if v]
    if not noisy or len(noisy) < _NOISY_SHARE * len(verdicts):
        return None
    return f"random or encoded data: {len(noisy)} of {len(verdicts)} samples {noisy[0]}"


def _noisy_window(window: bytes) -> str | None:
    spaces = sum(window.count(b) for b in _WHITESPACE) / len(window)
    text = _as_utf8(window)
    if text is None:
        high = sum(1 for b in window if b >= 0x80) / len(window)
        if high > 0.3 and spaces < 0.05:
            return f"mostly bytes above 0x7f that are not UTF-8 ({high:.0%}, {spaces:.1%} whitespace)"
        return None
    if sum(1 for ch in text if _unspaced_script(ord(ch))) >= 0.5 * len(text):
        return None
    entropy = _entropy(text)
    if entropy > NOISE_BITS:
        return f"as varied as random characters ({entropy:.1f} bits per character, {spaces:.1%} whitespace)"
    return None


def _unspaced_script(code: int) -> bool:
    """True for scripts written without spaces between words: CJK, kana, Thai, Lao, Tibetan, Myanmar, Khmer."""
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
            or 0x0E00 <= code <= 0x0FFF or 0x1000 <= code <= 0x109F or 0x1780 <= code <= 0x17FF or code >= 0x20000)


def _as_utf8(window: bytes) -> str | None:
    """The window decoded as UTF-8 (characters cut at either edge dropped), or None when it is not UTF-8."""
    start = next((i for i, b in enumerate(window[:4]) if b & 0xC0 != 0x80), 0)
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(window[start:], final=False)
    except UnicodeDecodeError:
        return None


def _entropy(sample: str) -> float:
    """Shannon entropy of the character distribution, in bits (English prose: about 4.5)."""
    total = len(sample)
    return -sum(c / total * math.log2(c / total) for c in Counter(sample).values()) if total else 0.0


def _wide_encoding(data: bytes) -> str | None:
    """The UTF-16/32 codec a BOM (or the zero-byte pattern of BOM-less UTF-16) announces, else None."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return _utf16_without_bom(data)


def _utf16_without_bom(data: bytes) -> str | None:
    """Detect BOM-less UTF-16 by its zero bytes: mostly-ASCII text has one in every other byte."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _legacy_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    """Decode bytes that are not UTF-8 one by one as cp1252 (latin-1 for its 5 undefined bytes)."""
    bad = err.object[err.start:err.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), err.end


codecs.register_error("wirewatch-legacy", _legacy_fallback)


def declared_charset(data: bytes) -> str | None:
    """Return the charset an HTML <meta> or XML declaration names in the first 4 KB, if Python knows it."""
    head = data[:4096]
    match = _XML_ENCODING.search(head) or _DECLARED_CHARSET.search(head)
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode(data: bytes, declared: str | None = None, normalize: bool = True) -> tuple[str, str]:
    """Decode input bytes to text (normalized unless asked not to); return (text, encoding). Never fails.

    BOMs win; then UTF-8, with any bytes that are not UTF-8 read as cp1252 (so cp1252, latin-1
    and mixed files all decode); a declared legacy charset is honoured when the bytes are not UTF-8.
    """
    _norm = normalize_text if normalize else (lambda text: text)
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _norm(data.decode(name, errors="replace")), name
    if (utf16 := _utf16_without_bom(data)) is not None:
        return _norm(data.decode(utf16, errors="replace")), utf16
    try:
        return _norm(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared and declared not in ("utf-8", "utf_8", "ascii"):
        try:
            return _norm(data.decode(declared)), declared
        except (UnicodeDecodeError, LookupError):
            pass
    text = data.decode("utf-8", errors="wirewatch-legacy")
    # Valid multi-byte UTF-8 anywhere means a mixed file rather than a pure legacy one.
    return _norm(text), "utf-8+cp1252" if _has_valid_utf8_sequence(data) else "cp1252"


def _has_valid_utf8_sequence(data: bytes) -> bool:
    for match in re.finditer(rb"[\xc2-\xf4][\x80-\xbf]{1,3}", data[:1 << 20]):
        try:
            match.group().decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff_format(text: str) -> str:
    """Guess the format of decoded input: "html", "feed", "jsonl" (JSON too) or "text"."""
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return "html"
    if head.startswith("<"):
        if re.search(r"<(rss|feed|rdf:rdf)\b", head):
            return "feed"
        if re.search(r"<(html|body|p|div|article|head)\b", head):
            return "html"
        if head.startswith("<?xml"):
            return "feed"  # other XML: the feed reader says plainly that it is not a feed
    if head.startswith(("{", "[")):
        return "jsonl"
    if re.search(r"<(body|p)\b[^>]*>", head):
        return "html"
    return "text"
