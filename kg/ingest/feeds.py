"""Lists of addresses: RSS and Atom feeds, sitemaps and sitemap indexes.

A feed or a sitemap is not a document: it names documents, and :mod:`kg.ingest.web` reads
each. The XML is parsed by lxml without network access, without a DTD and without
substituting entities (an entity stays a reference, so neither a local file nor a billion
laughs can come in), and leniently (``recover``), since published feeds are often not
well-formed. Elements are matched by local name, so every version of each format reads
(RSS 0.9x, 1.0 and 2.0; Atom 0.3 and 1.0; sitemaps with or without their namespace).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.etree

_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True,
                               remove_comments=True, remove_pis=True)
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
KINDS = {"rss": "RSS feed", "RDF": "RSS feed", "feed": "Atom feed", "urlset": "sitemap",
         "sitemapindex": "sitemap index"}


@dataclass(frozen=True)
class Listing:
    """The addresses a feed or sitemap lists, in its order, each once."""

    kind: str  # one of KINDS' values
    entries: list[str]

    @property
    def of_lists(self) -> bool:
        """A sitemap index lists sitemaps, not documents."""
        return self.kind == "sitemap index"


def is_xml(head: bytes) -> bool:
    """Whether a body starting with ``head`` is XML (a declaration or a listing's root).

    >>> is_xml(b'<?xml version="1.0"?><rss>'), is_xml(b"<urlset xmlns=..."), is_xml(b"<!DOCTYPE html>")
    (True, True, False)
    """
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf:RDF"))


def listing(body: bytes, base: str) -> Listing | None:
    """The addresses ``body`` lists, relative ones resolved against ``base``; None when the XML
    is an XHTML page. Raises ValueError, with a reason, for XML that is neither."""
    try:
        root = lxml.etree.fromstring(body, _PARSER)
    except lxml.etree.XMLSyntaxError as error:
        raise ValueError(f"not well-formed XML ({error})") from None
    if root is None:
        raise ValueError("not well-formed XML (no element found)")
    name = lxml.etree.QName(root).localname
    if name == "html":
        return None
    if name not in KINDS:
        raise ValueError(f"an XML document whose root is <{name}>, neither a feed nor a sitemap")
    base = urljoin(base, root.get(_XML_BASE, ""))
    if name == "feed":
        found = [_atom_link(entry, base) for entry in _children(root, "entry")]
    elif name in ("urlset", "sitemapindex"):
        found = [_text(item, "loc") for item in _children(root, "url" if name == "urlset" else "sitemap")]
        found = [urljoin(base, loc) if loc else None for loc in found]
    else:
        items = [item for item in root.iter(lxml.etree.Element) if lxml.etree.QName(item).localname == "item"]
        found = [_rss_link(item, base) for item in items]
    return Listing(KINDS[name], list(dict.fromkeys(entry for entry in found if entry)))


def _children(element: lxml.etree._Element, name: str) -> list[lxml.etree._Element]:
    return [child for child in element if isinstance(child.tag, str) and lxml.etree.QName(child).localname == name]


def _text(element: lxml.etree._Element, name: str) -> str | None:
    child = next(iter(_children(element, name)), None)
    text = " ".join((child.text or "").split()) if child is not None else ""
    return text or None


def _rss_link(item: lxml.etree._Element, base: str) -> str | None:
    """An RSS item's ``link``, else its ``guid`` when that is a permalink, else (RSS 1.0) its rdf:about."""
    link = _text(item, "link")
    if link is None:
        guid = next(iter(_children(item, "guid")), None)
        if guid is not None and guid.get("isPermaLink", "true").lower() == "true":
            link = _text(item, "guid")
    link = link or item.get(_RDF_ABOUT)
    return urljoin(base, link) if link else None


def _atom_link(entry: lxml.etree._Element, base: str) -> str | None:
    """An Atom entry's alternate link (a link without ``rel`` is one), resolved against its xml:base."""
    base = urljoin(base, entry.get(_XML_BASE, ""))
    for link in _children(entry, "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return urljoin(urljoin(base, link.get(_XML_BASE, "")), link.get("href").strip())
    return None
