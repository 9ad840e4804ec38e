"""Binary content is rejected whatever its name (issue 15): random bytes shaped to dodge the
control-byte test, encoded data, and a chance UTF-16 BOM, while real text in several scripts and
encodings, and long runs of one letter, are still read."""
from __future__ import annotations

import base64
import codecs
import random
import string

import pytest

from wirewatch.config import Limits
from wirewatch.ingest import read_bytes
from wirewatch.model import Article, Rejection

_RNG = random.Random(15)
ARTICLE = ("Harbour cranes stopped in Lennmouth\n\n"
           + "Dock workers in Lennmouth walked out on Tuesday over pay, the union said, and ships queued offshore. " * 40)

NOISE = {
    "random bytes": bytes(_RNG.randrange(256) for _ in range(20 * 1024)),
    "random bytes without control characters": bytes(_RNG.randrange(0x20, 0x100) for _ in range(20 * 1024)),
    "random bytes above 0x7f": bytes(_RNG.randrange(0x80, 0x100) for _ in range(20 * 1024)),
    "random printable ASCII": bytes(_RNG.randrange(0x21, 0x7f) for _ in range(20 * 1024)),
    "random characters from string.printable (4% whitespace)": "".join(
        _RNG.choice(string.printable) for _ in range(20 * 1024)).encode(),
    "base64 of random bytes": base64.encodebytes(bytes(_RNG.randrange(256) for _ in range(15 * 1024))),
    "random bytes after a UTF-16 BOM": codecs.BOM_UTF16_LE + bytes(_RNG.randrange(256) for _ in range(20 * 1024)),
}

TEXT = {
    "English UTF-8": ARTICLE.encode(),
    "French cp1252": ("Grève au port\n\n" + "Les dockers de Genève ont cessé le travail mardi, a déclaré le syndicat. " * 60).encode("cp1252"),
    "Russian cp1251": ("Забастовка в порту\n\n" + "Докеры прекратили работу во вторник, сообщил профсоюз. " * 60).encode("cp1251"),
    "Chinese UTF-8 (no spaces)": ("港口罢工\n\n" + "码头工人周二因工资问题罢工，工会表示，船只在海上排队等候。" * 80).encode(),
    "English UTF-16": ARTICLE.encode("utf-16"),
    "one letter repeated": b"Long line\n\n" + b"y" * 50_000,
}
# A page that opens with a large inline font (base64) is still an article: noise is judged on
# windows spread over the whole input.
PAGE_WITH_BLOB = (b"<html><head><title>Dock strike</title><style>@font-face{src:url(data:font/woff2;base64,"
                  + base64.b64encode(bytes(_RNG.randrange(256) for _ in range(45_000))) + b")}</style></head><body>"
                  + b"<p>Dock workers in Lennmouth walked out on Tuesday over pay, the union said.</p>" * 300
                  + b"</body></html>")


@pytest.mark.parametrize("name", NOISE)
@pytest.mark.parametrize("filename", ["noise.txt", "noise.html", "noise.jsonl", "noise"])
def test_noise_is_rejected_as_binary_whatever_its_name(name, filename):
    fmt = {"noise.txt": "text", "noise.html": "html", "noise.jsonl": "jsonl", "noise": None}[filename]
    [item] = list(read_bytes(NOISE[name], filename, Limits(), fmt))
    assert isinstance(item, Rejection), name
    assert item.path == filename and item.reason.startswith("binary file ("), item.reason


@pytest.mark.parametrize("name", TEXT)
def test_text_in_any_script_or_encoding_is_still_read(name):
    items = list(read_bytes(TEXT[name], "story.txt", Limits(), "text"))
    assert len(items) == 1 and isinstance(items[0], Article), items
    assert len(items[0].text) > 1000


def test_a_page_opening_with_an_inline_blob_is_still_read():
    items = list(read_bytes(PAGE_WITH_BLOB, "page.html", Limits(), "html"))
    assert len(items) == 1 and isinstance(items[0], Article), items
    assert items[0].text.startswith("Dock workers in Lennmouth walked out")


def test_cli_rejects_a_random_txt_file_before_the_store(tmp_path):
    from click.testing import CliRunner

    from wirewatch.cli import main
    from wirewatch.store import open_store

    (tmp_path / "noise.txt").write_bytes(NOISE["random bytes without control characters"])
    db = str(tmp_path / "w.db")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "noise.txt"), "--db", db])
    assert result.exit_code == 1
    assert "noise.txt: binary file (random or encoded data" in result.output
    assert "0 added" in result.output
    with open_store(db) as store:
        assert store.counts()["articles"] == 0


def test_markup_without_whitespace_between_tags_is_not_noise():
    """A one-line feed or page has little whitespace, but its characters are still prose and markup."""
    import re
    from pathlib import Path

    from tests.newssite import NewsSite
    from wirewatch.ingest.sources import binary_kind

    assert binary_kind(NewsSite().feed("http://127.0.0.1:8000")) is None
    pages = sorted(Path(__file__).resolve().parent.parent.joinpath("samples", "corpus").rglob("*.html"))
    assert pages
    for page in pages:
        squeezed = re.sub(rb">\s+<", b"><", page.read_bytes())
        assert binary_kind(squeezed) is None, page.name
