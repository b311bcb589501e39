"""HTML pages: main text and metadata by trafilatura (offline), lxml when it finds nothing.

Teasers of related publications (a box whose class or id says "related") become documents
of their own, through the same splitter as captured text pages.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Iterator

import lxml.etree
import lxml.html

from kg.errors import InputError
from kg.ingest.decode import read_text
from kg.ingest.pages import has_content, is_page, related, split_page
from kg.model import Document

_DATE_OPTIONS = {"extensive_search": False, "original_date": True}  # no guessing from the body
_BOILERPLATE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form")
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "td", "pre")
_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_RELATED_BOXES = (
    "//*[contains(translate(@class, 'RELATED', 'related'), 'related')"
    " or contains(translate(@id, 'RELATED', 'related'), 'related')]"
    "[not(ancestor::*[contains(translate(@class, 'RELATED', 'related'), 'related')])]"
)


def read(path: Path, source: str) -> Iterator[Document]:
    """The main publication of an HTML file, then the related publications it lists."""
    html = read_text(path, source)
    try:
        tree = lxml.html.fromstring(html.encode(), parser=_PARSER)  # bytes: XHTML may declare
    except lxml.etree.ParserError as error:
        raise InputError(source, f"not an HTML page ({error})") from None
    page = _extract(html, tree, path.stem, source)
    documents = split_page(page) if is_page(page.text) else [page]
    seen = {document.id for document in documents}
    for box in tree.xpath(_RELATED_BOXES):
        teasers = related("Related\n" + "\n".join(_block_texts(box)), documents[0])
        documents += [teaser for teaser in teasers if teaser.id not in seen]
        seen.update(teaser.id for teaser in teasers)
    yield from documents


def _extract(html: str, tree: lxml.html.HtmlElement, doc_id: str, source: str) -> Document:
    """Main text and metadata, by trafilatura or else by the lxml fallback."""
    import trafilatura
    from trafilatura.metadata import extract_metadata

    result = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=_DATE_OPTIONS,
        prune_xpath=_RELATED_BOXES,  # teasers are documents of their own
    )
    text = (result.text or "").strip() if result is not None else ""
    meta = result if result is not None else (
        extract_metadata(html, date_config=_DATE_OPTIONS, extensive=False)
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
