"""Feeds as servers send them (issue 13): feedparser behind dastan's safety checks.

The two feed cases of ../shared/cases/ingest are copied under tests/cases/ingest; the other
inputs here are variants of the same kinds, written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import Article, IngestParams, Reject, RejectReason, read_inputs
from ingest.feeds import MAX_ITEMS, FeedError, read_feed
from ingest.normalize import normalize_line
from tests.http_fixtures import BOMB, XXE

CASES = Path(__file__).parent / "cases" / "ingest"
TITLE = "زلزله ۴.۵ ریشتری در کرمان"


def rss(items: str, declaration: str = '<?xml version="1.0" encoding="utf-8"?>',
        link: str = "https://www.example-news.ir/") -> str:
    return (f'{declaration}\n<rss version="2.0"><channel><title>نمونه</title><link>{link}</link>\n'
            f"{items}</channel></rss>")


def item(title: str = TITLE, link: str = "https://www.example-news.ir/fa/news/1001/",
         description: str = "زمین‌لرزه‌ای به بزرگی ۴.۵ ریشتر شهر کرمان را لرزاند.") -> str:
    return (f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>Sat, 12 Oct 2024 18:30:00 +0330</pubDate><description>{description}</description></item>\n")


def articles(path: Path) -> list[Article | Reject]:
    return list(read_inputs([path], IngestParams()))


# --- the two cases --------------------------------------------------------------------


@pytest.mark.parametrize("case", ["feed-encoding-mismatch", "feed-leading-blank-lines"])
def test_feed_cases_give_the_item_with_its_persian_title(case: str) -> None:
    (article,) = articles(CASES / case / "feed.xml")
    assert isinstance(article, Article)
    assert TITLE in article.raw_text  # as the feed wrote it
    assert article.title == normalize_line(TITLE)  # the house normalization writes «۴٫۵»
    assert article.published_at is not None and article.published_at.isoformat() == "2024-10-12T15:00:00+00:00"
    assert article.url == "https://www.example-news.ir/fa/news/1001/"


# --- encodings as declared and as they are --------------------------------------------

ENCODINGS = [
    # UTF-8 bytes under a Windows-1256 declaration (the case): read as UTF-8
    ('<?xml version="1.0" encoding="windows-1256"?>', "utf-8"),
    # ... under an ISO-8859-1 declaration
    ('<?xml version="1.0" encoding="ISO-8859-1"?>', "utf-8"),
    # Windows-1256 bytes declared as such
    ('<?xml version="1.0" encoding="windows-1256"?>', "cp1256"),
    # Windows-1256 bytes declared as UTF-8: decoded as what they are
    ('<?xml version="1.0" encoding="utf-8"?>', "cp1256"),
    # Windows-1256 bytes declared as ISO-8859-1, as old Persian sites do
    ('<?xml version="1.0" encoding="iso-8859-1"?>', "cp1256"),
    # no declaration at all
    ("", "utf-8"),
    ("", "cp1256"),
    # a UTF-8 BOM
    ('\ufeff<?xml version="1.0" encoding="windows-1256"?>', "utf-8"),
]


@pytest.mark.parametrize(("declaration", "encoding"), ENCODINGS)
def test_feed_is_read_in_the_encoding_its_bytes_have(declaration: str, encoding: str) -> None:
    # Windows-1256 has no Persian digits and no Persian yeh: sites that still use it write
    # ASCII digits and the Arabic yeh «ي», which normalization turns into «ی»
    title = "زلزله 4.5 ریشتری در کرمان"
    if encoding == "cp1256":
        title = title.replace("ی", "ي")
    data = rss(item(title=title, description="زمین‌لرزه‌ای به بزرگی 4.5 ریشتر".replace("ی", "ي")),
               declaration).encode(encoding)
    (got,) = read_feed(data).items
    assert got.title == title


def test_bytes_that_are_no_text_are_refused_with_a_reason() -> None:
    data = rss(item()).encode("utf-8")[:-60] + b"\xff\xfe\xfa" * 3 + b"</channel></rss>"
    with pytest.raises(FeedError) as err:
        read_feed(data.replace(b'encoding="utf-8"', b'encoding="utf-8"'))
    assert err.value.reason is RejectReason.UNDECODABLE


# --- what comes before <?xml, entities, stray ampersands ------------------------------

@pytest.mark.parametrize("prefix", ["\n\n", "  \n\t", "\ufeff\n", "\r\n\r\n  "])
def test_whitespace_before_the_declaration_is_ignored(prefix: str) -> None:
    (got,) = read_feed((prefix + rss(item())).encode("utf-8")).items
    assert got.title == TITLE


def test_html_entities_are_read_as_their_characters() -> None:
    # «&zwnj;» is Persian spelling; XML knows no such name, so a strict parser refuses it
    data = rss(item(title="زمین&zwnj;لرزه&nbsp;در کرمان &amp; بم", description="پس&zwnj;لرزه&hellip;")).encode()
    (got,) = read_feed(data).items
    assert got.title == "زمین\u200cلرزه\u00a0در کرمان & بم"
    assert got.summary == "پس\u200cلرزه…"


def test_a_stray_ampersand_does_not_lose_the_feed() -> None:
    (got,) = read_feed(rss(item(title="AT&T و بانک R&D در تهران")).encode()).items
    assert got.title == "AT&T و بانک R&D در تهران"


def test_html_in_the_description_becomes_text() -> None:
    desc = "&lt;p&gt;زلزله &lt;b&gt;۴.۵&lt;/b&gt; ریشتری&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    (got,) = read_feed(rss(item(description=desc)).encode()).items
    assert got.summary == "زلزله ۴.۵ ریشتری"


# --- relative links -------------------------------------------------------------------


def test_relative_links_resolve_against_the_feed_address() -> None:
    data = rss(item(link="/fa/news/1001/")).encode()
    (got,) = read_feed(data, base_url="https://www.isna.ir/rss").items
    assert got.link == "https://www.isna.ir/fa/news/1001/"


def test_a_saved_feed_resolves_relative_links_against_its_site() -> None:
    (got,) = read_feed(rss(item(link="fa/news/1001/"), link="https://www.mehrnews.com/").encode()).items
    assert got.link == "https://www.mehrnews.com/fa/news/1001/"


def test_atom_links_resolve_against_xml_base() -> None:
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"'
            ' xml:base="https://www.tasnimnews.com/fa/"><title>تسنیم</title>'
            '<entry><title>خبر فوری</title><link href="news/2024/10/12/1"/><id>t1</id>'
            "<published>2024-10-12T18:30:00+03:30</published><summary>متن خبر</summary></entry></feed>")
    (got,) = read_feed(atom.encode()).items
    assert got.link == "https://www.tasnimnews.com/fa/news/2024/10/12/1"
    assert got.published_at is not None and got.published_at.isoformat() == "2024-10-12T15:00:00+00:00"


# --- today's guarantees ---------------------------------------------------------------


@pytest.mark.parametrize("doc", [BOMB, XXE, b"\n\n" + BOMB, BOMB.replace(b"ENTITY", b"entity")])
def test_entity_declarations_are_refused_not_expanded(doc: bytes) -> None:
    with pytest.raises(FeedError, match="unsafe XML refused"):
        read_feed(doc)


def test_an_external_doctype_is_dropped_and_never_fetched() -> None:
    doc = rss(item()).replace('<rss version="2.0">', '<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/rss.dtd">'
                              '<rss version="2.0">', 1)
    (got,) = read_feed(doc.encode()).items
    assert got.title == TITLE


def test_a_string_that_looks_like_a_url_or_a_path_is_data_not_a_place() -> None:
    # feedparser fetches a string that is a URL and opens one that names a file
    for data in (b"http://127.0.0.1:9/feed", b"/etc/passwd"):
        with pytest.raises(FeedError):
            read_feed(data)


def test_size_cap() -> None:
    with pytest.raises(FeedError) as err:
        read_feed(rss(item()).encode(), max_bytes=100)
    assert err.value.reason is RejectReason.TOO_LARGE


def test_item_cap_reads_the_first_items_and_says_what_was_left(tmp_path: Path) -> None:
    data = rss("".join(item(title=f"خبر شماره {n}", link=f"https://x.ir/{n}") for n in range(MAX_ITEMS + 3)))
    feed = read_feed(data.encode())
    assert len(feed.items) == MAX_ITEMS and feed.items[0].title == "خبر شماره 0"
    assert feed.problems == (f"3 entries after the first {MAX_ITEMS} not read",)
    path = tmp_path / "big.rss"
    path.write_text(data, encoding="utf-8")
    out = articles(path)
    (reject,) = [r for r in out if isinstance(r, Reject)]
    assert reject.reason is RejectReason.TOO_LARGE and "not read" in reject.detail


def test_a_feed_cut_short_is_refused() -> None:
    with pytest.raises(FeedError, match="not well-formed"):
        read_feed(b"<rss><channel><item><title>unclosed")


def test_not_a_feed_is_refused() -> None:
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        read_feed(b'<?xml version="1.0"?><html><body>salam</body></html>')


# --- dastan run on saved feed files ---------------------------------------------------


@pytest.mark.parametrize("suffix", [".xml", ".rss", ".atom", ".RSS"])
def test_saved_feed_files_are_read_like_pages(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"feed{suffix}"
    path.write_text(rss(item() + item(title="", description="")), encoding="utf-8")
    out = articles(path)
    (article,) = [a for a in out if isinstance(a, Article)]
    (reject,) = [r for r in out if isinstance(r, Reject)]
    assert article.title == normalize_line(TITLE) and article.input_ref == f"{path}#1"
    assert reject.reason is RejectReason.NO_TEXT and "entry 2" in reject.detail


def test_a_saved_feed_item_is_its_sites_report(tmp_path: Path) -> None:
    path = tmp_path / "isna.xml"
    path.write_text(rss(item(link="https://www.isna.ir/news/140307211234/")), encoding="utf-8")
    (article,) = articles(path)
    assert isinstance(article, Article) and article.source == "isna"


@pytest.mark.parametrize(("data", "reason"), [
    (b"", RejectReason.EMPTY),
    (b"<rss><channel><item><title>unclosed", RejectReason.MALFORMED),
    (BOMB, RejectReason.MALFORMED),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>', RejectReason.NO_TEXT),
])
def test_a_saved_feed_that_cannot_be_read_is_one_reject(tmp_path: Path, data: bytes, reason: RejectReason) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(data)
    (reject,) = articles(path)
    assert isinstance(reject, Reject) and reject.reason is reason
