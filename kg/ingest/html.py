"""HTML pages: main text and metadata by trafilatura (offline), lxml when it finds nothing.

Teasers of related publications (a box whose class or id says "related") become documents
of their own, through the same splitter as captured text pages.

The page is parsed once, by lxml with libxml2's ``huge_tree`` option, and the tree handed to
trafilatura: without the option libxml2 stops at 256 levels of nesting, which pages of
unclosed tags reach, and the text beyond is silently lost. With it the limit is 2048 levels;
a page deeper than that is refused rather than read in part. The option also lifts the
10 MB limit on one text node, which the per-document size limit already bounds.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Iterator

import lxml.etree
import lxml.html

from kg.errors import InputError
from kg.ingest.decode import DEFAULT_MAX_DOCUMENT_BYTES, read_text
from kg.ingest.pages import has_content, is_page, related, split_page
from kg.model import Document

_DATE_OPTIONS = {"extensive_search": False, "original_date": True}  # no guessing from the body
_BOILERPLATE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form")
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "td", "pre")
# trafilatura's own parser settings, with huge_tree.
_PARSER = lxml.html.HTMLParser(
    encoding="utf-8", huge_tree=True, collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True
)
MAX_DEPTH = 2048  # libxml2's nesting limit with huge_tree
_RELATED_BOXES = (
    "//*[contains(translate(@class, 'RELATED', 'related'), 'related')"
    " or contains(translate(@id, 'RELATED', 'related'), 'related')]"
    "[not(ancestor::*[contains(translate(@class, 'RELATED', 'related'), 'related')])]"
)


def read(path: Path, source: str, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Iterator[Document]:
    """The main publication of an HTML file, then the related publications it lists."""
    yield from documents(read_text(path, source, max_bytes), path.stem, source)


def documents(html: str, doc_id: str, source: str) -> list[Document]:
    """The main publication of the page ``html``, with the id ``doc_id``, then the related
    publications it lists (a file's or a fetched page's)."""
    tree = _parse(html, source)
    page = _extract(tree, doc_id, source)
    found = split_page(page) if is_page(page.text) else [page]
    seen = {document.id for document in found}
    for box in tree.xpath(_RELATED_BOXES):
        teasers = related("Related\n" + "\n".join(_block_texts(box)), found[0])
        found += [teaser for teaser in teasers if teaser.id not in seen]
        seen.update(teaser.id for teaser in teasers)
    return found


def _parse(html: str, source: str) -> lxml.html.HtmlElement:
    """The page's tree, or an InputError if it has none or nests too deeply to be read whole."""
    try:
        tree = lxml.html.fromstring(html.encode(), parser=_PARSER)  # bytes: XHTML may declare
    except lxml.etree.LxmlError as error:
        raise InputError(source, f"not an HTML page ({error})") from None
    limit = next(iter(_PARSER.error_log.filter_types([lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT])), None)
    if limit is not None:  # the parser stopped there and dropped the rest of the page
        reason = f"HTML nested deeper than {MAX_DEPTH} elements" if "depth" in limit.message else limit.message
        raise InputError(source, f"{reason}, where the parser stops (unclosed tags?): the text beyond "
                                 "would be lost; save the page as text")
    return tree


def _extract(tree: lxml.html.HtmlElement, doc_id: str, source: str) -> Document:
    """Main text and metadata, by trafilatura or else by the lxml fallback."""
    import trafilatura
    from trafilatura.metadata import extract_metadata

    result = trafilatura.bare_extraction(
        tree,  # trafilatura works on a copy
        with_metadata=True,
        include_comments=False,
        date_extraction_params=_DATE_OPTIONS,
        prune_xpath=_RELATED_BOXES,  # teasers are documents of their own
    )
    text = (result.text or "").strip() if result is not None else ""
    meta = result if result is not None else (
        extract_metadata(tree, date_config=_DATE_OPTIONS, extensive=False)
    )
    if not has_content(text):  # nothing, or only menu words
        text = "\n".join(_block_texts(_without_boilerplate(tree)))
    if not has_content(text):
        raise InputError(source, "no text found in the HTML page (only scripts, menus or markup)")
    return Document(
        id=doc_id,
        text=text,
        source=source,
        title=meta.title or None,
        url=meta.url or None,
        date=meta.date or None,
        publisher=meta.sitename or None,
        author=meta.author or None,
    )


def _without_boilerplate(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the page without scripts, menus, headers, footers, asides, forms, teasers."""
    body = copy.deepcopy(tree)
    unwanted = "|".join([*(f"//{tag}" for tag in _BOILERPLATE_TAGS), _RELATED_BOXES])
    for element in body.xpath(unwanted):
        element.drop_tree()
    return body


def _block_texts(element: lxml.html.HtmlElement) -> list[str]:
    """The whitespace-normalised text of each innermost block element, in page order."""
    texts = []
    for block in element.iter(*_BLOCKS):
        if next(block.iterdescendants(*_BLOCKS), None) is not None:
            continue  # its inner blocks give the text
        if text := " ".join(block.text_content().split()):
            texts.append(text)
    return texts
