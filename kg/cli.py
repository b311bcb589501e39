"""The `kg` command: thin wrappers that parse arguments and call the library.

A user error prints one line on stderr and exits non-zero; it never shows a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import pyoxigraph as ox

from kg.errors import KgError, exit_status_for_http, printable
from kg.extract import RELATION_FINDERS
from kg.model import DEFAULT_MAX_DOCUMENT_BYTES, DOCUMENT_TIMEOUT
from kg.store import (
    DEFAULT_STORE_DIR,
    STORE_ENV,
    Store,
    is_url,
    open_existing,
    require_store,
)

if TYPE_CHECKING:
    from kg.progress import Progress

T = TypeVar("T")
EXPORTS_DIR = Path("exports")
store_option = click.option(
    "--store", "store_path", default=DEFAULT_STORE_DIR, show_default=True, envvar=STORE_ENV,
    callback=lambda ctx, param, value: value if is_url(value) else Path(value),
    help="Folder of the embedded triple store, or a SPARQL server URL: http://127.0.0.1:7878 "
    "(Oxigraph), fuseki+http://…/ds, graphdb+http://…/repositories/x, virtuoso+http://…",
)

_WEB_OPTIONS = (
    click.option("--urls", "url_lists", multiple=True, metavar="FILE",
                 type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
                 help="Also read the web addresses listed in FILE, one a line (blank lines and lines starting "
                 "with # left out); - reads them from standard input. Repeatable."),
    click.option("--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                 help="Folder keeping fetched pages, so that they are not fetched again [kg build: STORE.web-cache "
                 "beside the store's folder; kg extract: none]."),
    click.option("--refresh", is_flag=True, help="Ask servers whether the pages kept in the cache changed "
                 "(a conditional request) instead of reading them as kept."),
    click.option("--offline", is_flag=True, help="Fetch nothing: web addresses are read from the cache only."),
    click.option("--fetch-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
                 help="Seconds to connect, and to wait for each piece of an answer; a whole answer gets 10 times "
                 "that. [default: 30]"),
    click.option("--host-delay", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
                 help="Pause between two requests to one host (a longer Crawl-delay in its robots.txt "
                 "wins). [default: 1]"),
    click.option("--max-entries", type=click.IntRange(min=1), default=None, metavar="N",
                 help="Documents read from one feed or sitemap. [default: 1000]"),
)


def _web_options(command: Callable[..., T]) -> Callable[..., T]:
    """Add the options of reading web addresses to ``command``, which gets them as one
    ``web_options`` dict."""
    names = ("url_lists", "cache_dir", "refresh", "offline", "fetch_timeout", "host_delay", "max_entries")

    @functools.wraps(command)
    def wrapper(**options: Any) -> T:
        return command(web_options={name: options.pop(name) for name in names}, **options)

    for option in reversed(_WEB_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


class _Group(click.Group):
    """Turns KgError into one line on stderr and its exit status: 2 for a usage error, 1 for a
    failed run (kg.errors)."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except KgError as err:
            click.echo(f"kg: error: {err}", err=True)
            sys.exit(err.exit_status)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build a knowledge graph of who does what with whom from international-relations text."""


@main.command()
@click.argument("inputs", nargs=-1, metavar="PATH_OR_URL...")
@store_option
@click.option("--exports", "exports_dir", type=click.Path(path_type=Path), default=None,
              help=f"Write graph.trig and graph.html to this folder. [default: {EXPORTS_DIR}, when the build "
              "creates the store; an update of an existing store writes them only when this is given]")
@click.option("--no-exports", is_flag=True, help="Only write the store.")
@click.option("--workers", type=int, default=None, help="Extraction processes (default: up to 2).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where to read and extract: this machine's processes, or a Dask cluster (pip install 'kg[dask]').")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="With --engine dask: the cluster's scheduler (tcp://host:8786); default: a local cluster of --workers.")
@click.option("--document-timeout", type=click.FloatRange(min=0, min_open=True), default=DOCUMENT_TIMEOUT,
              show_default=True, help="Seconds one document may take to extract before it is reported and skipped.")
@click.option("--max-document-size", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_MAX_DOCUMENT_BYTES / 1e6,
              show_default=True, metavar="MB", help="Refuse a file, or a JSON line, larger than this.")
@click.option("--replace-moved", is_flag=True,
              help="A document whose id the store holds from another file replaces it (after moving a folder).")
@click.option("--quiet", "-q", is_flag=True, help="No progress line (it is drawn only on a terminal anyway).")
@click.option("--verbose", "-v", is_flag=True, help="A line per document on stderr with its time to extract (failures are always reported).")
@click.option("--mentions", type=click.Choice(["full", "compact"]), default="full", show_default=True,
              help="compact: one mention per entity and form of words in a document, with its count (a smaller "
              "store; the offsets of repeated mentions are not kept).")
@_web_options
def build(inputs: tuple[str, ...], store_path: Path, exports_dir: Path | None, no_exports: bool, workers: int | None,
          engine: str, scheduler: str | None, document_timeout: float, max_document_size: float,
          replace_moved: bool, quiet: bool, verbose: bool, mentions: str, web_options: dict[str, Any]) -> None:
    """Extract documents (files, folders or web addresses) into the store, write exports and print a summary.

    Bad inputs are reported one line each on stderr; the others are still built, and the exit
    status is 1 when any input failed. Exports cover the whole store, so an update (adding a
    document to a large store) leaves them as they are unless --exports is given. Fetched
    pages are kept in STORE.web-cache beside the store folder (--cache), and read from there
    when built again.
    """
    from kg.build import build_store
    from kg.engines import engine as engine_named
    from kg.ingest.check import check_paths
    from kg.ingest.webcache import cache_beside
    from kg.progress import Progress, StatusLine
    from kg.summary import format_summary, summarize

    paths = _inputs(inputs, web_options["url_lists"])
    check_paths(paths)  # before the store, its lock or a worker exists
    progress = Progress()
    extraction = engine_named(engine, workers, scheduler)
    _count_files_into(progress, paths)
    with StatusLine(progress, sys.stderr, quiet=quiet) as status:
        def timed(built) -> None:  # noqa: ANN001 - a kg.workers.Built
            if verbose and not built.error:
                status.echo(f"kg: {printable(built.file or built.source)}: {printable(built.document_id)}: "
                            f"{built.seconds:.2f} s, {len(built.nquads)} bytes of N-Quads")

        web = _web(web_options, web_options["cache_dir"] or cache_beside(store_path), progress, status.echo)
        report, store = build_store(paths, store_path, engine=extraction, document_timeout=document_timeout,
                                    max_document_bytes=int(max_document_size * 1_000_000), replace_moved=replace_moved,
                                    compact_mentions=mentions == "compact",
                                    on_error=lambda line: status.echo(f"kg: error: {line}"), on_document=timed,
                                    progress=progress, web=web)
    exporting = not no_exports and (exports_dir is not None or report.created)
    exports_dir = exports_dir or EXPORTS_DIR
    if exporting:
        with StatusLine(Progress("writing exports", unit=""), sys.stderr, quiet=quiet):
            _write_exports(store, exports_dir)
    unchanged = report.documents - report.written
    click.echo(f"built {report.documents} documents into {store_path}" + (f" ({unchanged} unchanged)" if unchanged else "")
               + (f"; {len(report.failed)} inputs failed" if report.failed else ""))
    click.echo(format_summary(summarize(store)))
    if exporting:
        click.echo(f"exports: {exports_dir / 'graph.trig'}, {exports_dir / 'graph.html'}")
    elif not no_exports:
        click.echo(f"exports: not rewritten for an update of the store (kg build --exports {exports_dir}, or kg export)")
    store.close()
    sys.exit(1 if report.failed else 0)


def _count_files_into(progress: Progress, paths: list[Path | str]) -> None:
    """Count the files under ``paths`` and the web addresses in the background, as the total of
    the progress line (a file or address gives one document, or several: the line leaves the
    total out once it is passed)."""
    from kg.ingest import files, is_address

    def count() -> None:
        addresses = [given for given in paths if is_address(given)]
        files_found = files(given for given in paths if not is_address(given))
        progress.total = len(addresses) + sum(1 for item in files_found if isinstance(item, tuple))

    threading.Thread(target=count, daemon=True).start()


def _inputs(given: tuple[str, ...], url_lists: tuple[Path, ...]) -> list[Path | str]:
    """What a command reads: each argument, a web address (a string) or a path; then the
    addresses of each ``--urls`` list."""
    from kg.ingest.address import is_address, read_list

    inputs: list[Path | str] = [item if is_address(item) else Path(item) for item in given]
    for listed in url_lists:
        try:
            text = sys.stdin.read() if str(listed) == "-" else listed.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else f"not UTF-8 text ({error.reason})"
            raise KgError(f"--urls {printable(str(listed))}: cannot read the list ({reason or error})") from None
        inputs += read_list(text)
    if not inputs:
        raise KgError("give files, folders or web addresses to read (or --urls FILE, a list of addresses)")
    return inputs


def _web(options: dict[str, Any], cache_dir: Path | None, progress: Progress | None,
         echo: Callable[[str], None]) -> Any:
    """The :class:`kg.ingest.web.Web` that reads the web addresses of a command, with its options."""
    from kg.ingest.fetch import Fetcher
    from kg.ingest.web import Web
    from kg.ingest.webcache import Cache

    settings = {"timeout": options["fetch_timeout"], "host_delay": options["host_delay"]}
    fetcher = Fetcher(**{name: value for name, value in settings.items() if value is not None},
                      on_fetch=progress.fetching if progress else lambda url: None)
    limits = {"max_entries": options["max_entries"]} if options["max_entries"] else {}
    return Web(fetcher, Cache(cache_dir), refresh=options["refresh"], offline=options["offline"],
               on_note=lambda line: echo(f"kg: note: {line}"), **limits)


def _write_exports(store: Store, exports_dir: Path) -> None:
    from kg.viz import write_graph_html

    store.dump(exports_dir / "graph.trig", ox.RdfFormat.TRIG)
    write_graph_html(store, exports_dir / "graph.html")


@main.command()
@click.argument("inputs", nargs=-1, metavar="PATH_OR_URL...")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--document-timeout", type=click.FloatRange(min=0, min_open=True), default=DOCUMENT_TIMEOUT,
              show_default=True, help="Seconds one document may take to extract before it is reported and skipped.")
@click.option("--max-document-size", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_MAX_DOCUMENT_BYTES / 1e6,
              show_default=True, metavar="MB", help="Refuse a file, or a JSON line, larger than this.")
@_web_options
def extract(inputs: tuple[str, ...], fmt: str, document_timeout: float, max_document_size: float,
            web_options: dict[str, Any]) -> None:
    """Print what the extractor finds in each document (files, folders or web addresses), one
    JSON object per line. Fetched pages are kept only with --cache."""
    from kg.workers import extract_document, guarded
    from kg.errors import InputError, printable
    from kg.ingest import read_documents
    from kg.ingest.check import check_paths
    from kg.serialize import extraction_to_json

    paths = _inputs(inputs, web_options["url_lists"])
    check_paths(paths)
    web = _web(web_options, web_options["cache_dir"], None, lambda line: click.echo(line, err=True))
    failed = False
    for item in read_documents(paths, int(max_document_size * 1_000_000), web):
        if isinstance(item, InputError):
            click.echo(f"kg: error: {item}", err=True)
            failed = True
            continue
        found = guarded(lambda: extraction_to_json(extract_document(item)), document_timeout)
        if isinstance(found, str):
            click.echo(f"kg: error: {printable(item.source)}: {printable(item.id)}: {printable(found)}", err=True)
            failed = True
            continue
        click.echo(json.dumps(found, ensure_ascii=False))
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("document_ids", nargs=-1, required=True, metavar="ID...")
@store_option
def remove(document_ids: tuple[str, ...], store_path: Path) -> None:
    """Remove documents (by id) from the store, with the facts and entity descriptions derived from them."""
    from contextlib import nullcontext

    from kg.build import remove as remove_documents
    from kg.store.lock import StoreLock

    if not is_url(store_path):
        require_store(store_path)  # before the lock, which would leave a file behind
    with nullcontext() if is_url(store_path) else StoreLock(store_path):
        store = open_existing(store_path, read_only=False)
        missing = remove_documents(store, document_ids)
        store.close()
    if missing:
        raise KgError(f"no document with id {', '.join(map(repr, missing))} in {store_path}; nothing was removed "
                      "(`kg query 'SELECT ?id { ?d kg:documentId ?id }'` lists the ids)")
    click.echo(f"removed {len(set(document_ids))} documents from {store_path}")


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--baseline", type=click.Choice(["auto", "spacy", "gazetteer", "none"]), default="auto", show_default=True,
              help="What to compare with: spaCy NER if installed (auto), else an exact-name gazetteer.")
@click.option("--errors", type=int, default=30, show_default=True, help="How many misses and additions to list.")
@click.option("--by-component", is_flag=True, help="Also list each component's right and wrong findings.")
@click.option("--without", "without", multiple=True, type=click.Choice(RELATION_FINDERS),
              help="Score with this relation finder switched off (repeatable).")
def evaluate(gold_dir: Path, baseline: str, errors: int, by_component: bool, without: tuple[str, ...]) -> None:
    """Score the extractor against a gold standard (eval/README.md): P, R and F1 by type and family."""
    from kg.eval import evaluate as run_evaluation
    from kg.eval.report import format_report
    from kg.extract.extractor import Extractor
    from kg.extract.kb import load_kb

    extractor = Extractor(load_kb(), relations=tuple(f for f in RELATION_FINDERS if f not in without))
    click.echo(format_report(run_evaluation(gold_dir, baseline, extractor), errors, by_component))


def _complete_saved_query(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of QUERY: the saved queries' names (each file's name is its query's)."""
    from kg.resources import QUERIES_DIR

    return sorted(p.stem for p in QUERIES_DIR.glob("*.rq") if p.stem.startswith(incomplete))


@main.command()
@click.argument("query", required=False, shell_complete=_complete_saved_query)
@store_option
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A saved query's parameter.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml", "ndjson", "turtle", "ntriples"]),
              default="table", show_default=True,
              help="SELECT: a table, the SPARQL results formats (CSV, TSV, JSON, XML) or one JSON object a row; "
              "CONSTRUCT: Turtle or N-Triples.")
@click.option("--width", type=click.IntRange(min=0), default=None, metavar="N",
              help="Characters of a table cell before it is cut with … (0: never) [default: 60]; "
              "other formats never cut.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True), default=None,
              help="Write the result to this file, whole or not at all; - is standard output.")
@click.option("--list", "list_queries", is_flag=True, help="List the saved queries, their parameters and an example.")
def query(query: str | None, store_path: Path, params: tuple[str, ...], fmt: str, width: int | None,
          out: Path | None, list_queries: bool) -> None:
    """Run SPARQL over the store: QUERY is query text, a .rq file, a saved query's name, or - to
    read the query from standard input.

    kg query only reads: updates go to kg serve --allow-updates. A listing that stops at its
    limit says so on stderr (--param limit=N shows more).
    """
    from kg import query as queries

    if list_queries:
        click.echo(queries.format_saved_queries(queries.list_saved_queries()), nl=False)
        return
    if not query:
        raise KgError("give a query (text, a .rq file, a saved query's name, or - to read it from standard input), "
                      "or --list")
    text = sys.stdin.read() if query == "-" else queries.resolve_query(query)
    if not text.strip():
        raise KgError("no query on standard input")
    bindings = dict(_split_param(p) for p in params)
    store = _reading(store_path)
    result = queries.run_query(store, text, bindings)
    output = queries.format_result(result, fmt, max_cell=queries.MAX_CELL if width is None else width)
    cut = queries.listing_cut(store, text, bindings, result)
    if out is None or str(out) == "-":
        click.echo(output, nl=False)
    else:
        queries.write_output(output, out)
    if cut:
        click.echo(f"kg: note: the listing stops at {cut} rows; --param limit={cut * 10} shows more", err=True)


def _reading(store_path: Path, *, read_only: bool = True) -> Store:
    """The store, opened to be read; a warning when a build was stopped before its summaries."""
    from kg.facts import is_stale

    store = open_existing(store_path, read_only=read_only)
    if is_stale(store):
        click.echo(f"kg: warning: a build of {store_path} was stopped before it finished; graph:facts and "
                   "the merged labels may be out of date until the next kg build", err=True)
    return store


def _split_param(param: str) -> tuple[str, str]:
    name, sep, value = param.partition("=")
    if not sep or not name:
        raise KgError(f"--param {param!r}: expected NAME=VALUE")
    return name.strip(), value


@main.command()
@store_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="File to write [default: exports/graph.html for the whole graph; for a part, a file named "
              "after it, such as exports/graph-focus-china.html].")
@click.option("--max-nodes", type=int, default=300, show_default=True, help="Draw at most this many entities (the most central).")
@click.option("--focus", metavar="ENTITY", help="Only the neighbourhood of ENTITY (label, alias, ISO code or IRI).")
@click.option("--hops", type=int, default=1, show_default=True, help="With --focus: how many relations away.")
@click.option("--doc", "doc_id", metavar="ID", help="Only the entities and relations of one document.")
@click.option("--initiative", metavar="NAME", help="Only an initiative and everyone linked to it.")
@click.option("--all", "everything", is_flag=True,
              help="Whole graph: also the knowledge base's curated facts and entities no relation links.")
@click.option("--title", default="Knowledge graph", show_default=True, help="The page's title.")
def viz(store_path: Path, out: Path | None, max_nodes: int, focus: str | None, hops: int, doc_id: str | None,
        initiative: str | None, everything: bool, title: str) -> None:
    """Write the interactive graph (or one part of it) as one self-contained HTML file."""
    from kg.viz import write_graph_html

    report = write_graph_html(_reading(store_path), out, folder=EXPORTS_DIR, max_nodes=max_nodes, title=title,
                              focus=focus, hops=hops, doc=doc_id, initiative=initiative, everything=everything)
    docs = (f", {report.documents} documents" + (" (hidden until ticked)" if report.documents_hidden else "")
            if report.documents else "")
    click.echo(f"wrote {report.path} ({report.heading}): {report.nodes} nodes, {report.edges} edges{docs}"
               + (f"; not drawn: {report.nodes_left_out} nodes, {report.edges_left_out} edges" if report.nodes_left_out else ""))


@main.command()
@store_option
@click.option("--quiet", "-q", is_flag=True, help="No progress line (it is drawn only on a terminal anyway).")
def validate(store_path: Path, quiet: bool) -> None:
    """Check the graph in the store against the SHACL shapes (ontology/shapes.ttl)."""
    from kg.progress import Progress, StatusLine
    from kg.validate import validate_store

    store, progress = _reading(store_path), Progress("validating", "graphs")
    with StatusLine(progress, sys.stderr, quiet=quiet):
        report = validate_store(store, progress)
    click.echo(report.text)
    sys.exit(0 if report.conforms else 1)


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "jsonld", "graphml", "gexf"]),
              default="trig", show_default=True, help="RDF (Turtle is the union of the graphs), or GraphML/GEXF for Gephi.")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="File to write [default: exports/graph.<ext>].")
@click.option("--quiet", "-q", is_flag=True, help="No progress line (it is drawn only on a terminal anyway).")
def export(store_path: Path, fmt: str, out: Path | None, quiet: bool) -> None:
    """Write the graph to a file: RDF straight from the store, or the entity graph for Gephi."""
    from kg.export import EXTENSIONS
    from kg.export import export as write_export
    from kg.progress import Progress, StatusLine

    store = _reading(store_path)
    with StatusLine(Progress(f"writing {fmt}", unit=""), sys.stderr, quiet=quiet):
        path = write_export(store, fmt, out or EXPORTS_DIR / f"graph.{EXTENSIONS[fmt]}")
    click.echo(f"wrote {path}")


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=7879, show_default=True)
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds a query may run.")
@click.option("--max-results", type=int, default=10_000, show_default=True, help="Rows or triples per answer; more are cut.")
@click.option("--allow-updates", is_flag=True, help="Accept SPARQL Update from requests that carry the token.")
@click.option("--update-token", envvar="KG_UPDATE_TOKEN", help="Bearer token for updates [env: KG_UPDATE_TOKEN].")
@click.option("--allow-service", multiple=True, metavar="HOST", help="A host that SERVICE may call (repeatable).")
@click.option("--max-query-memory", type=click.IntRange(min=16), default=1024, show_default=True, metavar="MB",
              help="Memory one query's process may take before it is stopped.")
@click.option("--get", "get_target", metavar="PATH", help="Answer one GET request (e.g. '/sparql?query=…') and exit.")
def serve(store_path: Path, host: str, port: int, timeout: float, max_results: int, allow_updates: bool,
          update_token: str | None, allow_service: tuple[str, ...], max_query_memory: int, get_target: str | None) -> None:
    """Serve the store as a SPARQL 1.1 endpoint with a query page (read-only unless --allow-updates)."""
    from kg import server
    from kg.server.sandbox import sandbox_unavailable_reason

    settings = server.ServerSettings(host=host, port=port, timeout=timeout, max_results=max_results,
                                     allow_updates=allow_updates, update_token=update_token,
                                     allow_service=frozenset(allow_service), max_query_memory=max_query_memory << 20)
    store = _reading(store_path, read_only=not allow_updates)
    if get_target:
        response = server.get(store, settings, get_target)
        if response.status >= 400:  # one line on stderr and the exit status of kg query's errors
            reason = " ".join(response.body.decode("utf-8", "replace").split())
            click.echo(f"kg: error: HTTP {response.status}: {reason}", err=True)
        else:
            click.echo(response.body, nl=False)
        sys.exit(exit_status_for_http(response.status))
    unavailable = sandbox_unavailable_reason()
    sandbox = ("no network unless SERVICE calls an allowed host" if unavailable is None
               else f"network not closed ({unavailable}); SERVICE is refused by the query check alone")
    click.echo(f"query processes: {max_query_memory} MB each, {timeout:g} s; {sandbox}", err=True)
    server.serve(store, settings, on_start=lambda url: click.echo(f"serving {store_path} at {url} (Ctrl-C stops)"))


format_option = click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
network_option = click.option("--network", type=click.Choice(["relations", "comentions"]), default="relations", show_default=True,
                              help="Relations (linked by facts, weighted by evidence sentences) or co-mentions (named in the same documents).")
write_option = click.option("--write/--no-write", default=False, show_default=True,
                            help="Also write the results into the store's graph:analytics (relation network only), "
                            "so that SPARQL can sort by them.")


@main.group()
def analyze() -> None:
    """Network analytics: centrality, communities, explanation paths, co-mentions, trends by year."""


quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress line (drawn only on a terminal anyway).")


def _measured(store_path: Path, network: str, write: bool, quiet: bool, doing: str,
              measure: Callable[[Any], T]) -> tuple[Store, T]:
    """The store and ``measure`` of its ``network``, with a status line naming the stage."""
    from kg import analyze as analytics
    from kg.progress import Progress, StatusLine

    store = _analytics_store(store_path, network, write)
    progress = Progress("reading the network", unit="")
    with StatusLine(progress, sys.stderr, quiet=quiet):
        graph = analytics.network(store, network)
        progress.stage = f"{doing} {graph.number_of_nodes()} entities"
        return store, measure(graph)


def _analytics_store(store_path: Path, network: str, write: bool) -> Store:
    """The store, read-only unless ``--write`` asks to write the measures into it."""
    if write and network != "relations":
        raise KgError("only the relation network's measures are written to graph:analytics; leave out --write")
    return _reading(store_path, read_only=not write)


@analyze.command()
@store_option
@network_option
@click.option("--top", type=int, default=20, show_default=True, help="Entities to print (all are written).")
@write_option
@format_option
@quiet_option
def centrality(store_path: Path, network: str, top: int, write: bool, fmt: str, quiet: bool) -> None:
    """Degree, PageRank and betweenness of each entity, highest PageRank first."""
    from kg import analyze as analytics

    store, rows = _measured(store_path, network, write, quiet, "ranking", analytics.centrality)
    click.echo(analytics.format_centrality(rows[:top], fmt), nl=False)
    if write:
        analytics.write_centrality(store, rows)
        click.echo(f"wrote kg:degree, kg:pageRank, kg:betweenness of {len(rows)} entities to graph:analytics", err=True)


@analyze.command()
@store_option
@network_option
@write_option
@format_option
@quiet_option
def communities(store_path: Path, network: str, write: bool, fmt: str, quiet: bool) -> None:
    """Louvain communities (fixed seed), largest first; CSV lists every member."""
    from kg import analyze as analytics

    store, found = _measured(store_path, network, write, quiet, "finding communities among", analytics.communities)
    click.echo(analytics.format_communities(found, fmt), nl=False)
    if write:
        analytics.write_communities(store, found)
        click.echo(f"wrote kg:community of {sum(len(c.members) for c in found)} entities to graph:analytics", err=True)


@analyze.command()
@click.argument("source")
@click.argument("target")
@store_option
@click.option("--max-evidence", type=int, default=3, show_default=True, help="Sentences or documents shown per link.")
@format_option
def path(source: str, target: str, store_path: Path, max_evidence: int, fmt: str) -> None:
    """How SOURCE is linked to TARGET: the shortest path, each hop with its evidence.

    Entities are given by label, alias, ISO code or IRI. Relations are used first; when no
    chain of relations joins the two, documents naming both (co-mentions) are.
    """
    from kg import analyze as analytics

    store = _reading(store_path)
    found = analytics.explain_path(store, analytics.resolve_entity(store, source), analytics.resolve_entity(store, target), max_evidence)
    click.echo(analytics.format_path(found, fmt), nl=False)


@analyze.command()
@store_option
@click.option("--top", type=int, default=20, show_default=True, help="Pairs to print.")
@format_option
def comentions(store_path: Path, top: int, fmt: str) -> None:
    """The pairs of entities named together in the most documents."""
    from kg import analyze as analytics

    click.echo(analytics.format_comentions(analytics.network(_reading(store_path), "comentions"), top, fmt), nl=False)


@analyze.command()
@click.argument("entity")
@store_option
@click.option("--chart", type=click.Path(path_type=Path), default=None, help="Also draw the trend as a PNG chart here.")
@format_option
def trend(entity: str, store_path: Path, chart: Path | None, fmt: str) -> None:
    """Documents naming ENTITY and its mentions, per year of the documents' dates."""
    from kg import analyze as analytics

    found = analytics.entity_trend(_reading(store_path), entity)
    click.echo(analytics.format_trend(found, fmt), nl=False)
    if chart:
        click.echo(f"wrote {analytics.draw_trend(found, chart)}", err=True)
