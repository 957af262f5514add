"""The fast parser and feedparser give the pipeline the same items on feedparser's own corpus.

Every file of ../shared/corpus/feeds that both parse without a ParseError must produce identical
items (key, title, URL, text, date) through `read_feed`'s default (the fast parser, feedparser as
the fallback) and through feedparser alone, except the files listed in ACCEPTED with the reason.
All of them are edge cases of the format tests; none is the shape of a real publisher's feed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.sources.feed import parse_feed
from adapters.sources.feed_parse import fast_parser_available, read_feed
from bot.errors import ParseError
from tests.fakes.feeds import rss_feed

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "feeds"
FILES = sorted(CORPUS.glob("**/*.xml"))

_XHTML_KEY = (
    "an entry with neither id nor link gets a key hashed from its raw title: the parsers "
    "serialise an XHTML (or markup-bearing) title differently, the text is the same"
)
_LANG_BASE = _XHTML_KEY + " (xml:base / xml:lang variants of the same test)"
_RELATIVE_ID = "feedparser resolves a relative Atom <id> against the document base; the fast parser keeps it"
_DC_DATE = "the date is only in a dc:date of a namespace-trick test feed; the fast parser misses it there"
_WIN1252 = "cp1252 or double-encoded bytes in a UTF-8 feed: feedparser repairs them, the fast one keeps them"
_PRECEDENCE = "two elements compete for one field (summary vs description, duplicate ids, link vs image link)"
_FEWER = "an entry one parser drops and the other keeps (odd namespace nesting; <item> inside an Atom feed)"
ACCEPTED: dict[str, str] = {
    "encoding/demoronize-1.xml": _WIN1252,
    "encoding/demoronize-2.xml": _WIN1252,
    "encoding/double-encoded-html.xml": _WIN1252,
    "http/http_status_304.xml": _FEWER,
    "http/target.xml": _FEWER,
    **{f"wellformed/amp/amp{n}.xml": _XHTML_KEY for n in range(59, 65)},
    "wellformed/amp/attr04.xml": _XHTML_KEY,
    "wellformed/amp/attr06.xml": _XHTML_KEY,
    "wellformed/atom/entry_title_inline_markup.xml": _XHTML_KEY,
    "wellformed/atom/entry_title_inline_markup_2.xml": _XHTML_KEY + "; an escaped tag in an XHTML title",
    "wellformed/atom/entry_title_naked_markup.xml": _XHTML_KEY,
    "wellformed/atom10/entry_id_no_normalization_4.xml": "feedparser lower-cases the scheme of an id",
    "wellformed/atom10/entry_id_with_attributes.xml": _RELATIVE_ID,
    "wellformed/base/entry_summary_xml_base_inherit_3.xml": _LANG_BASE,
    "wellformed/base/entry_summary_xml_base_inherit_4.xml": _LANG_BASE,
    "wellformed/base/entry_title_xml_base.xml": _LANG_BASE,
    "wellformed/base/entry_title_xml_base_inherit.xml": _LANG_BASE,
    "wellformed/base/entry_title_xml_base_inherit_2.xml": _LANG_BASE,
    "wellformed/base/entry_title_xml_base_inherit_3.xml": _LANG_BASE,
    "wellformed/base/entry_title_xml_base_inherit_4.xml": _LANG_BASE,
    "wellformed/base/http_entry_id_base_content_location.xml": _RELATIVE_ID,
    "wellformed/base/http_entry_id_base_docuri.xml": _RELATIVE_ID,
    "wellformed/base/http_entry_title_inline_base_content_location.xml": _LANG_BASE,
    "wellformed/base/http_entry_title_inline_base_docuri.xml": _LANG_BASE,
    "wellformed/base/http_relative_xml_base.xml": _LANG_BASE,
    "wellformed/base/http_relative_xml_base_2.xml": _LANG_BASE,
    "wellformed/base/malformed_base.xml": _LANG_BASE,
    "wellformed/base/relative_xml_base.xml": _LANG_BASE,
    "wellformed/base/relative_xml_base_2.xml": _LANG_BASE,
    "wellformed/base/unsafe_base.xml": _LANG_BASE,
    "wellformed/lang/entry_summary_xml_lang_inherit_3.xml": _LANG_BASE,
    "wellformed/lang/entry_summary_xml_lang_inherit_4.xml": _LANG_BASE,
    "wellformed/lang/entry_title_xml_lang_blank.xml": _LANG_BASE,
    "wellformed/lang/entry_title_xml_lang_inherit.xml": _LANG_BASE,
    "wellformed/lang/entry_title_xml_lang_inherit_2.xml": _LANG_BASE,
    "wellformed/lang/entry_title_xml_lang_inherit_3.xml": _LANG_BASE,
    "wellformed/lang/entry_title_xml_lang_inherit_4.xml": _LANG_BASE,
    "wellformed/lang/http_content_language_entry_title_inherit_2.xml": _LANG_BASE,
    "wellformed/namespace/rss1.0withModules.xml": _DC_DATE,
    "wellformed/namespace/rss1.0withModulesNoDefNS.xml": _DC_DATE,
    "wellformed/namespace/rss1.0withModulesNoDefNSLocalNameClash.xml": _DC_DATE + "; " + _PRECEDENCE,
    "wellformed/namespace/rss2.0NSwithModules.xml": _DC_DATE,
    "wellformed/namespace/rss2.0NSwithModulesNoDefNS.xml": _FEWER,
    "wellformed/namespace/rss2.0NSwithModulesNoDefNSLocalNameClash.xml": _FEWER,
    "wellformed/namespace/rss2.0noNSwithModules.xml": _DC_DATE,
    "wellformed/namespace/rss2.0noNSwithModulesLocalNameClash.xml": _DC_DATE,
    "wellformed/node_precedence/atom10_id.xml": _PRECEDENCE,
    "wellformed/psc/rss2.0simplechapter.xml": _DC_DATE + "; the link is an Atom link inside RSS",
    "wellformed/rss/item_category_image.xml": _PRECEDENCE,
    "wellformed/rss/item_description_and_summary.xml": _PRECEDENCE,
    "wellformed/rss/item_guid_isPermaLink_ValueError.xml": _FEWER,
    "wellformed/rss/item_summary_and_description.xml": _PRECEDENCE,
    "wellformed/sanitize/entry_title_script_inline.xml": _XHTML_KEY,
}

needs_fast = pytest.mark.skipif(not fast_parser_available(), reason="feedparser-rs is not installed")


def _items(body: bytes, parser: str) -> tuple[object, ...] | None:
    try:
        parsed = parse_feed(body, url="http://127.0.0.1/feed.xml", source_key="feed:c", parser=parser)  # type: ignore[arg-type]
    except ParseError:
        return None
    return parsed.items


@needs_fast
@pytest.mark.skipif(not FILES, reason="shared/corpus/feeds is not present")
def test_the_pipeline_sees_the_same_items_either_way_on_the_corpus() -> None:
    compared = 0
    differing: list[str] = []
    for path in FILES:
        body = path.read_bytes()
        shim, reference = _items(body, "auto"), _items(body, "feedparser")
        if shim is None or reference is None:
            continue
        compared += 1
        if shim != reference:
            differing.append(str(path.relative_to(CORPUS)))
    assert compared > 1900  # nearly the whole corpus parses both ways
    unexpected = [name for name in differing if name not in ACCEPTED]
    assert not unexpected, unexpected
    assert len(differing) <= len(ACCEPTED)


@needs_fast
def test_a_plain_utf8_feed_takes_the_fast_path_and_odd_bodies_fall_back() -> None:
    plain = rss_feed([{"title": "T", "link": "https://e.x/1", "summary": "Hello"}]).encode()
    assert read_feed(plain, url="https://e.x/feed").parser == "fast"
    latin = plain.replace(b"utf-8", b"iso-8859-1").replace(b"Hello", "Héllo".encode("latin-1"))
    assert read_feed(latin, url="https://e.x/feed").parser == "feedparser"
    declared = read_feed(plain, url="https://e.x/feed", content_type="application/rss+xml; charset=koi8-r")
    assert declared.parser == "feedparser"
    broken = plain.replace(b"</channel></rss>", b"<item><title>cut")
    assert read_feed(broken, url="https://e.x/feed").parser == "feedparser"  # malformed: the reference
    private_link = plain.replace(b"https://e.x/1", b"http://127.0.0.1:8080/1")
    assert read_feed(private_link, url="https://e.x/feed").entries[0]["link"] == "http://127.0.0.1:8080/1"
    looks_like_url = b"https://169.254.169.254/latest/meta-data"
    assert read_feed(looks_like_url, url="https://e.x/feed").parser == "feedparser"  # never fetched


@needs_fast
def test_both_parsers_resolve_a_relative_link_against_the_feed_url() -> None:
    body = rss_feed([{"title": "T", "link": "/posts/1"}]).encode()
    for parser in ("fast", "feedparser"):
        parsed = parse_feed(body, url="https://lab.example/feed.xml", source_key="feed:x", parser=parser)
        (item,) = parsed.items
        assert item.url == "https://lab.example/posts/1", parser


def test_a_fast_entry_reads_dates_only_up_to_the_one_the_adapter_takes() -> None:
    import itertools
    import time
    from types import SimpleNamespace

    from adapters.sources.feed import _entry_date
    from adapters.sources.feed_parse import _fast_entry

    def when(year: int) -> time.struct_time:
        return time.struct_time((year, 3, 1, 12, 0, 0, 0, 60, 0))

    choices = (None, when(2024), when(2025), when(10_000))  # 10,000: no datetime holds it
    names = ("published_parsed", "updated_parsed", "dc_date_parsed", "created_parsed")
    read: list[str] = []

    class Entry(SimpleNamespace):
        def __getattribute__(self, name: str) -> object:
            if name.endswith("_parsed"):
                read.append(name)
            return super().__getattribute__(name)

    for values in itertools.product(choices, repeat=4):
        fields = dict(zip(names, values, strict=True))
        entry = Entry(title="t", link="https://e.x/1", id="1", content=[], summary_detail=None, summary="s")
        for name, value in fields.items():
            setattr(entry, name, value)
        read.clear()
        # every date, as the adapter saw them before (dc:date stands in for a missing updated)
        everything = {
            "published_parsed": fields["published_parsed"],
            "updated_parsed": fields["updated_parsed"] or fields["dc_date_parsed"],
            "created_parsed": fields["created_parsed"],
        }
        assert _entry_date(_fast_entry(entry, "https://e.x/feed")) == _entry_date(everything), fields
        if fields["published_parsed"] == when(2024):
            assert read == ["published_parsed"]  # nothing read after the date the adapter takes
