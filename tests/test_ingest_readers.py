"""Readers on small inputs written for the purpose: text, HTML, RSS/Atom, JSON Lines, dirs, stdin."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from wirewatch.config import Limits
from wirewatch.ingest import expand_paths, read_bytes, read_path
from wirewatch.ingest.ids import article_id
from wirewatch.model import Article, Rejection

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"

LIMITS = Limits()

TEXT_ARTICLE = """Flood barrier fails in Dunmore as river peaks

By Ilse Marwick
March 4, 2024

The flood barrier protecting the lower town of Dunmore gave way early on Monday, officials said.

About 300 homes were evacuated, according to the county fire service, and 12 people were treated
for hypothermia. The council said repairs would take "several weeks".

Sources:
- River authority statement on the Dunmore barrier
- Fire service update, 4 March
"""


def articles(items):
    return [i for i in items if isinstance(i, Article)]


def rejections(items):
    return [i for i in items if isinstance(i, Rejection)]


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def test_plain_text_headline_byline_and_sources_block(tmp_path):
    path = write(tmp_path, "flood.txt", TEXT_ARTICLE)
    [article] = list(read_path(path, LIMITS))
    assert article.title == "Flood barrier fails in Dunmore as river peaks"
    assert article.author == "Ilse Marwick"
    assert article.published == "2024-03-04"
    assert article.text.startswith("The flood barrier protecting")
    assert article.text.endswith('"several weeks".')
    assert article.cited_sources == ["River authority statement on the Dunmore barrier", "Fire service update, 4 March"]
    assert "Sources" not in article.text and "River authority" not in article.text
    assert article.format == "text" and article.path == path
    assert article.raw == TEXT_ARTICLE.encode("utf-8")
    assert article.id == article_id(article.title, article.text)


def test_numbered_references_and_inline_source_line():
    body = "Strike called off in Pellam\n\nThe union said the strike was over.\n\nReferences\n1. Union notice\n2) Pellam Courier report\n"
    [article] = list(read_bytes(body.encode(), "refs.txt", LIMITS, "text"))
    assert article.cited_sources == ["Union notice", "Pellam Courier report"]
    assert article.text == "The union said the strike was over."
    inline = "Ferry resumes service\n\nThe ferry to Osk ran again on Friday.\nSource: Osk Harbour Office\n"
    [article] = list(read_bytes(inline.encode(), "inline.txt", LIMITS, "text"))
    assert article.cited_sources == ["Osk Harbour Office"]
    assert article.text == "The ferry to Osk ran again on Friday."


def test_sources_heading_followed_by_long_paragraphs_stays_in_body():
    long_para = "The word sources appears here but this paragraph is long reporting text, " * 6
    body = f"Inquiry opens\n\nFirst paragraph.\n\nSources\n\n{long_para}\n"
    [article] = list(read_bytes(body.encode(), "x.txt", LIMITS, "text"))
    assert article.cited_sources == []
    assert long_para.strip() in article.text


def test_seed_article_sources_are_citations_not_body():
    seed = SHARED / "seeds" / "000_8469186f6885d44f.txt"
    if not seed.exists():
        pytest.skip("shared seed not present")
    [article] = list(read_path(str(seed), LIMITS))
    assert article.title == seed.read_text(encoding="utf-8").strip().split("\n")[0].strip()
    assert len(article.cited_sources) == 4
    for cited in article.cited_sources:
        assert cited not in article.text
    assert not article.text.rstrip().endswith("Sources:")
    assert "\r" not in article.text


HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Grain silo fire contained in Oberhollen | The Valley Courant</title>
<meta property="og:title" content="Grain silo fire contained in Oberhollen">
<meta property="og:site_name" content="The Valley Courant">
<meta name="author" content="Peder Lunn">
<meta property="article:published_time" content="2024-06-11T08:30:00Z">
<meta property="og:url" content="https://courant.example/og-url">
<link rel="canonical" href="https://courant.example/news/silo-fire">
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article><h1>Grain silo fire contained in Oberhollen</h1>
<p>Firefighters contained a blaze at the Oberhollen grain terminal on Tuesday after eleven hours, the regional fire chief said.</p>
<p>Roughly 2,000 tonnes of wheat were lost, according to the terminal's operator, which said the cause was not yet known.</p>
<p>Two workers were taken to hospital with smoke inhalation and later released, a hospital spokeswoman said.</p>
</article>
<footer>Copyright 2024 The Valley Courant. Subscribe for unlimited access. Cookie settings.</footer>
</body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    path = write(tmp_path, "silo.html", HTML_PAGE)
    [article] = list(read_path(path, LIMITS))
    assert article.format == "html"
    assert article.title == "Grain silo fire contained in Oberhollen"
    assert article.outlet == "The Valley Courant"
    assert article.author == "Peder Lunn"
    assert article.published.startswith("2024-06-11")
    assert article.url == "https://courant.example/news/silo-fire"
    assert article.text.startswith("Firefighters contained a blaze")
    assert "2,000 tonnes of wheat" in article.text
    for boilerplate in ("Subscribe", "Cookie", "Home", "Sport"):
        assert boilerplate not in article.text
    assert article.raw == HTML_PAGE.encode("utf-8")


def test_html_outlet_from_title_suffix_when_no_site_name():
    page = HTML_PAGE.replace('<meta property="og:site_name" content="The Valley Courant">', "")
    [article] = list(read_bytes(page.encode(), "page.html", LIMITS, "html"))
    assert article.outlet == "The Valley Courant"


def test_html_sniffed_without_extension():
    [article] = list(read_bytes(HTML_PAGE.encode(), "noext", LIMITS))
    assert article.format == "html" and article.title == "Grain silo fire contained in Oberhollen"


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harrowgate Evening Wire</title><link>https://hew.example/</link>
<item><title>Bridge closed after crack found in Harrowgate</title>
<link>https://hew.example/bridge</link><dc:creator>Ona Pettersen</dc:creator>
<pubDate>Tue, 02 Apr 2024 09:15:00 +0200</pubDate>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>Engineers closed the Old Mill bridge on Tuesday after finding a crack in a support pier, the city said.</p><p>Traffic was diverted, and about 9,000 drivers a day face delays.</p>]]></content:encoded>
</item>
<item><title>Library reopens after two-year refit</title><link>https://hew.example/library</link>
<pubDate>Mon, 01 Apr 2024 18:00:00 GMT</pubDate>
<description>&lt;p&gt;The central library in Harrowgate reopened on Monday after a refit costing 4 million crowns.&lt;/p&gt;</description>
</item>
<item><title>Empty entry</title><link>https://hew.example/empty</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Kestrel Bay Monitor</title><id>urn:kbm</id>
<updated>2024-05-01T00:00:00Z</updated>
<entry><title>Fishing quota cut by a third</title><id>urn:kbm:1</id>
<link href="https://kbm.example/quota"/><author><name>Tarja Vesk</name></author>
<published>2024-05-01T07:00:00Z</published><updated>2024-05-01T08:00:00Z</updated>
<content type="html">&lt;p&gt;Regulators cut the herring quota for Kestrel Bay by 33 percent, the fisheries board said on Wednesday.&lt;/p&gt;</content>
</entry></feed>"""


def test_rss_one_article_per_entry(tmp_path):
    path = write(tmp_path, "wire.rss", RSS)
    items = list(read_path(path, LIMITS))
    found = articles(items)
    assert [a.title for a in found] == ["Bridge closed after crack found in Harrowgate", "Library reopens after two-year refit"]
    bridge, library = found
    assert bridge.outlet == "Harrowgate Evening Wire" and bridge.format == "feed"
    assert bridge.url == "https://hew.example/bridge" and bridge.author == "Ona Pettersen"
    assert bridge.published == "2024-04-02T09:15:00+02:00"
    assert bridge.text.startswith("Engineers closed the Old Mill bridge") and "9,000 drivers" in bridge.text
    assert "<p>" not in bridge.text and "teaser" not in bridge.text  # the fuller content wins
    assert bridge.raw.startswith(b"<item>") and b"Old Mill" in bridge.raw and b"Library" not in bridge.raw
    assert library.text == "The central library in Harrowgate reopened on Monday after a refit costing 4 million crowns."
    assert bridge.extra["entry"] == 1 and library.extra["entry"] == 2
    [empty] = rejections(items)
    assert "entry 3" in empty.reason and "no body text" in empty.reason
    assert empty.line is not None and RSS.split("\n")[empty.line - 1].startswith("<item><title>Empty")


def test_atom_feed_sniffed_from_xml(tmp_path):
    path = write(tmp_path, "monitor.xml", ATOM)
    [article] = list(read_path(path, LIMITS))
    assert article.title == "Fishing quota cut by a third"
    assert article.outlet == "Kestrel Bay Monitor" and article.author == "Tarja Vesk"
    assert article.url == "https://kbm.example/quota"
    assert article.published == "2024-05-01T07:00:00+00:00"
    assert article.text.startswith("Regulators cut the herring quota")
    [sniffed] = list(read_bytes(ATOM.encode(), "-", LIMITS))
    assert sniffed.id == article.id


def test_jsonl_records_unknown_keys_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"title": "Dam inspection ordered", "text": "Inspectors will examine the Morrow dam next week, the ministry said.",
                    "url": "https://x.example/dam", "outlet": "Morrow Daily", "published": "2024-02-01", "author": "K. Adeyemi",
                    "section": "Region", "tags": ["dams", "safety"]}),
        '{"title": "Broken", "text": "missing brace"',
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "No body here"}),
        json.dumps({"headline": "Ferry strike ends", "body": "Ferry crews returned to work on Sunday, the operator said.", "source": "Gull Post"}),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    items = list(read_path(path, LIMITS))
    dam, ferry = articles(items)
    assert dam.title == "Dam inspection ordered" and dam.outlet == "Morrow Daily" and dam.author == "K. Adeyemi"
    assert dam.url == "https://x.example/dam" and dam.published == "2024-02-01" and dam.format == "jsonl"
    assert dam.extra["section"] == "Region" and dam.extra["tags"] == ["dams", "safety"] and dam.extra["line"] == 1
    assert dam.raw == lines[0].encode("utf-8")
    assert ferry.title == "Ferry strike ends" and ferry.outlet == "Gull Post" and ferry.extra["line"] == 6
    bad = {r.line: r.reason for r in rejections(items)}
    assert set(bad) == {2, 4, 5}
    assert bad[2].startswith("invalid JSON (") and "column" in bad[2]
    assert bad[4] == "record is an array, not a JSON object"
    assert bad[5] == "record has no 'text'"
    assert all(r.path == path for r in rejections(items))


def test_json_array_and_single_object(tmp_path):
    records = [{"title": "Orchard frost losses", "text": "Growers in Vell lost about half their apricots to frost."},
               {"title": "No text", "text": ""}]
    items = list(read_path(write(tmp_path, "batch.json", json.dumps(records, indent=2)), LIMITS))
    assert [a.title for a in articles(items)] == ["Orchard frost losses"]
    assert [r.reason for r in rejections(items)] == ["record 2: record has no 'text'"]
    single = json.dumps(records[0], indent=2)
    [article] = list(read_path(write(tmp_path, "one.json", single), LIMITS))
    assert article.title == "Orchard frost losses"


def test_directory_mix_walked_sorted_skipping_hidden_and_metadata(tmp_path):
    write(tmp_path, "a/flood.txt", TEXT_ARTICLE)
    write(tmp_path, "a/silo.html", HTML_PAGE)
    write(tmp_path, "b/wire.rss", RSS)
    write(tmp_path, "b/more.jsonl.gz", gzip.compress(json.dumps({"title": "Gz", "text": "Compressed record body."}).encode()))
    write(tmp_path, "b/.hidden.txt", "Hidden\n\nShould not be read.")
    write(tmp_path, ".git/config.txt", "Nope\n\nNot read.")
    write(tmp_path, "MANIFEST.json", "[]")
    write(tmp_path, "notes.md", "# Notes\n\nnot an input in a walk")
    write(tmp_path, "image.png", b"\x89PNG\r\n\x1a\n")
    files = expand_paths([str(tmp_path)])
    assert [Path(f).relative_to(tmp_path).as_posix() for f in files] == [
        "a/flood.txt", "a/silo.html", "b/more.jsonl.gz", "b/wire.rss"]
    found = [a for f in files for a in articles(read_path(f, LIMITS))]
    assert {a.format for a in found} == {"text", "html", "jsonl", "feed"}
    assert len(found) == 5
    # explicitly named files are always read, even ones a walk skips
    assert expand_paths([str(tmp_path / "notes.md"), "-"]) == [str(tmp_path / "notes.md"), "-"]


def test_stdin_is_sniffed():
    jsonl = json.dumps({"title": "From a pipe", "text": "Piped reports are read like files."}).encode()
    [article] = list(read_path("-", LIMITS, stdin=io.BytesIO(jsonl)))
    assert article.format == "jsonl" and article.path == "-" and article.title == "From a pipe"
    [text] = list(read_path("-", LIMITS, stdin=io.BytesIO(TEXT_ARTICLE.encode())))
    assert text.format == "text" and len(text.cited_sources) == 2
    [feed_article, *_] = list(read_path("-", LIMITS, stdin=io.BytesIO(RSS.encode())))
    assert feed_article.format == "feed"


def test_stdin_over_limit_is_rejected_after_reading_at_most_limit_plus_one():
    stream = io.BytesIO(b"Title\n\n" + b"word " * 1000)
    [rejection] = list(read_path("-", Limits(max_file_bytes=100), stdin=stream))
    assert "standard input" in rejection.reason and "100-byte limit" in rejection.reason
    assert stream.tell() == 101


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig"])
def test_legacy_and_bom_encodings_decode(tmp_path, encoding):
    text = "Café owners protest in Zürich\n\nThe owners said “enough” on Friday — prices rose 5 %.\n"
    if encoding == "latin-1":
        text = text.replace("“", '"').replace("”", '"').replace("—", "-")
    path = write(tmp_path, f"{encoding}.txt", text.encode(encoding))
    [article] = list(read_path(path, LIMITS))
    assert article.title == "Café owners protest in Zürich"
    assert article.text == text.split("\n\n", 1)[1].strip()


def test_same_article_twice_gets_same_id_across_formats_and_newlines(tmp_path):
    one = list(read_path(write(tmp_path, "one.txt", TEXT_ARTICLE), LIMITS))[0]
    two = list(read_path(write(tmp_path, "copy/two.txt", TEXT_ARTICLE.replace("\n", "\r\n")), LIMITS))[0]
    assert one.id == two.id and one.text == two.text
    record = {"title": one.title, "text": one.text}
    three = list(read_path(write(tmp_path, "r.jsonl", json.dumps(record)), LIMITS))[0]
    assert three.id == one.id
    other = list(read_bytes(TEXT_ARTICLE.replace("300 homes", "400 homes").encode(), "o.txt", LIMITS))[0]
    assert other.id != one.id


def test_gzip_member_read_like_the_plain_file(tmp_path):
    path = write(tmp_path, "flood.txt.gz", gzip.compress(TEXT_ARTICLE.encode()))
    [article] = list(read_path(path, LIMITS))
    plain = list(read_bytes(TEXT_ARTICLE.encode(), "flood.txt", LIMITS))[0]
    assert article.id == plain.id and article.format == "text"


def test_markdown_heading_marks_the_headline(tmp_path):
    path = write(tmp_path, "note.md", "# Levee repairs begin in Osterby\n\nWork started on Monday, the water board said.\n")
    [article] = list(read_path(path, LIMITS))
    assert article.title == "Levee repairs begin in Osterby"
    assert article.text == "Work started on Monday, the water board said."


def test_long_first_line_is_body_not_headline():
    paragraph = "Officials in the river town of Quellby said on Monday that " + "the water kept rising and " * 20 + "crews worked overnight."
    [article] = list(read_bytes(f"{paragraph}\n\nA second paragraph.\n".encode(), "p.txt", LIMITS, "text"))
    assert article.text.startswith(paragraph)
    assert article.title.endswith("…") and paragraph.startswith(article.title[:-1])
    assert len(article.title) <= 301


def test_xml_extension_is_sniffed_feed_or_xhtml(tmp_path):
    xhtml = '<?xml version="1.0" encoding="utf-8"?>\n' + HTML_PAGE.split("\n", 1)[1]
    [page] = list(read_path(write(tmp_path, "page.xml", xhtml), LIMITS))
    assert page.format == "html" and page.title == "Grain silo fire contained in Oberhollen"
    [entry] = list(read_path(write(tmp_path, "feed.xml", ATOM), LIMITS))
    assert entry.format == "feed"


def test_text_header_lines_fill_outlet_date_and_author(tmp_path):
    from wirewatch.config import Limits
    from wirewatch.ingest import read_path

    path = tmp_path / "crane.txt"
    path.write_text("Crane collapse halts port\n\nOutlet: Ledger Times\nPublished: 2026-10-15\nBy Jane Ruiz\n\n"
                    "HALIFAX — A crane collapsed on Monday.\n", encoding="utf-8")
    [article] = list(read_path(str(path), Limits()))
    assert (article.outlet, article.published, article.author) == ("Ledger Times", "2026-10-15", "Jane Ruiz")
    assert article.text == "HALIFAX — A crane collapsed on Monday."
