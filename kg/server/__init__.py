"""``kg serve``: a SPARQL 1.1 Protocol endpoint over the store, with a query page.

Library first: ``make_app(store, settings).handle(request)`` answers one request without a
socket, ``serve(store, settings)`` runs the HTTP server, ``get`` answers one GET in-process.
"""

from kg.server.app import App, get, make_app, make_server, serve
from kg.server.messages import Request, Response, ServerSettings

__all__ = ["App", "Request", "Response", "ServerSettings", "get", "make_app", "make_server", "serve"]
