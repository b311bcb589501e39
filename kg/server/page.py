"""The HTML page at ``/``: a query box, the saved queries as examples, a link to the graph view.

Everything that comes from files or the store is escaped; results are put in the page by the
script with ``textContent`` only. The page loads nothing from elsewhere, and its
Content-Security-Policy lets only its own inline style and script (by nonce) run.
"""

from __future__ import annotations

import json
import secrets
from html import escape
from pathlib import Path
from string import Template

from kg.query import PREFIXES, SavedQuery, list_saved_queries
from kg.server.messages import Response, ServerSettings

_TEMPLATE = Template((Path(__file__).parent / "page.html").read_text(encoding="utf-8"))
_CSP = ("default-src 'none'; script-src 'nonce-{0}'; style-src 'nonce-{0}'; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def page(settings: ServerSettings) -> Response:
    """The query page, with a fresh nonce for its inline style and script."""
    nonce = secrets.token_urlsafe(16)
    mode = "read-only" if not settings.allow_updates else "SPARQL Update with a token"
    html = _TEMPLATE.substitute(
        nonce=nonce,
        prefixes=escape(json.dumps(PREFIXES)),
        mode=mode,
        saved="\n".join(map(_saved_form, list_saved_queries(settings.queries_dir))),
    )
    headers = (("Content-Security-Policy", _CSP.format(nonce)), ("X-Content-Type-Options", "nosniff"))
    return Response(200, html.encode(), "text/html; charset=utf-8", headers)


def _saved_form(query: SavedQuery) -> str:
    """One saved query: title, description, an input per parameter, its text, a run button."""
    inputs = "".join(
        f'<label>{escape(name)} <input name="{escape(name)}" placeholder="{escape(doc)}"'
        f'{"" if doc.startswith("(optional)") else " required"}></label>'
        for name, doc in query.params.items()
    )
    return (
        f'<form data-name="{escape(query.name)}"><h3>{escape(query.title)}</h3>'
        f"<p>{escape(query.description)}</p>{inputs}"
        f"<textarea hidden>{escape(query.text)}</textarea><button>Run</button></form>"
    )
