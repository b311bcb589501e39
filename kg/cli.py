"""The `kg` command: thin wrappers that parse arguments and call the library.

A user error prints one line on stderr and exits non-zero; it never shows a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pyoxigraph as ox

from kg.errors import KgError
from kg.store import DEFAULT_STORE_DIR, STORE_ENV, Store, is_url

EXPORTS_DIR = Path("exports")
store_option = click.option(
    "--store", "store_path", default=DEFAULT_STORE_DIR, show_default=True, envvar=STORE_ENV,
    callback=lambda ctx, param, value: value if is_url(value) else Path(value),
    help="Folder of the embedded triple store, or a SPARQL server URL: http://127.0.0.1:7878 "
    "(Oxigraph), fuseki+http://…/ds, graphdb+http://…/repositories/x, virtuoso+http://…",
)


class _Group(click.Group):
    """Turns KgError into one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except KgError as err:
            click.echo(f"kg: error: {err}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(package_name="kg")
def main() -> None:
    """Build a knowledge graph of who does what with whom from international-relations text."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--exports", "exports_dir", type=click.Path(path_type=Path), default=EXPORTS_DIR, show_default=True,
              help="Folder for graph.trig and graph.html.")
@click.option("--no-exports", is_flag=True, help="Only update the store.")
@click.option("--workers", type=int, default=None, help="Extraction processes (default: up to 2).")
def build(paths: tuple[Path, ...], store_path: Path, exports_dir: Path, no_exports: bool, workers: int | None) -> None:
    """Extract documents (files or folders) into the store, write exports and print a summary.

    Bad inputs are reported one line each on stderr; the others are still built, and the exit
    status is 1 when any input failed.
    """
    from kg.build import build_store
    from kg.summary import format_summary, summarize

    report, store = build_store(paths, store_path, workers=workers, on_error=lambda line: click.echo(f"kg: error: {line}", err=True))
    if not no_exports:
        _write_exports(store, exports_dir)
    click.echo(f"built {report.documents} documents into {store_path}" + (f"; {len(report.failed)} inputs failed" if report.failed else ""))
    click.echo(format_summary(summarize(store)))
    if not no_exports:
        click.echo(f"exports: {exports_dir / 'graph.trig'}, {exports_dir / 'graph.html'}")
    sys.exit(1 if report.failed else 0)


def _write_exports(store: Store, exports_dir: Path) -> None:
    from kg.viz import write_graph_html

    store.dump(exports_dir / "graph.trig", ox.RdfFormat.TRIG)
    write_graph_html(store, exports_dir / "graph.html")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
def extract(paths: tuple[Path, ...], fmt: str) -> None:
    """Print what the extractor finds in each document, one JSON object per line."""
    from kg.build import extract_document
    from kg.errors import InputError
    from kg.ingest import read_documents
    from kg.serialize import extraction_to_json

    failed = False
    for item in read_documents(paths):
        if isinstance(item, InputError):
            click.echo(f"kg: error: {item}", err=True)
            failed = True
            continue
        click.echo(json.dumps(extraction_to_json(extract_document(item)), ensure_ascii=False))
    sys.exit(1 if failed else 0)


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--baseline", type=click.Choice(["auto", "spacy", "gazetteer", "none"]), default="auto", show_default=True,
              help="What to compare with: spaCy NER if installed (auto), else an exact-name gazetteer.")
@click.option("--errors", type=int, default=30, show_default=True, help="How many misses and additions to list.")
def evaluate(gold_dir: Path, baseline: str, errors: int) -> None:
    """Score the extractor against a gold standard (eval/README.md): P, R and F1 by type and family."""
    from kg.eval import evaluate as run_evaluation
    from kg.eval.report import format_report

    click.echo(format_report(run_evaluation(gold_dir, baseline), errors))


@main.command()
@click.argument("query", required=False)
@store_option
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A saved query's parameter.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle", "ntriples"]),
              default="table", show_default=True)
@click.option("--list", "list_queries", is_flag=True, help="List the saved queries.")
def query(query: str | None, store_path: Path, params: tuple[str, ...], fmt: str, list_queries: bool) -> None:
    """Run SPARQL over the store: QUERY is query text, a .rq file or a saved query's name."""
    from kg import query as queries

    if list_queries:
        for saved in queries.list_saved_queries():
            click.echo(f"{saved.name:<28} {saved.title}")
        return
    if not query:
        raise KgError("give a query (text, a .rq file or a saved query name), or --list")
    bindings = dict(_split_param(p) for p in params)
    result = queries.run_query(Store(store_path, read_only=True), queries.resolve_query(query), bindings)
    click.echo(queries.format_result(result, fmt), nl=False)


def _split_param(param: str) -> tuple[str, str]:
    name, sep, value = param.partition("=")
    if not sep or not name:
        raise KgError(f"--param {param!r}: expected NAME=VALUE")
    return name.strip(), value


@main.command()
@store_option
@click.option("--out", type=click.Path(path_type=Path), default=EXPORTS_DIR / "graph.html", show_default=True)
@click.option("--max-nodes", type=int, default=300, show_default=True, help="Draw at most this many entities.")
def viz(store_path: Path, out: Path, max_nodes: int) -> None:
    """Write the interactive graph as one self-contained HTML file."""
    from kg.viz import write_graph_html

    report = write_graph_html(Store(store_path, read_only=True), out, max_nodes=max_nodes)
    click.echo(f"wrote {out}: {report.nodes} nodes, {report.edges} edges" + (f" ({report.nodes_left_out} left out)" if report.nodes_left_out else ""))


@main.command()
@store_option
def validate(store_path: Path) -> None:
    """Check the graph in the store against the SHACL shapes (ontology/shapes.ttl)."""
    from kg.validate import validate_store

    report = validate_store(Store(store_path, read_only=True))
    click.echo(report.text)
    sys.exit(0 if report.conforms else 1)


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "jsonld", "graphml", "gexf"]),
              default="trig", show_default=True, help="RDF (Turtle is the union of the graphs), or GraphML/GEXF for Gephi.")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="File to write [default: exports/graph.<ext>].")
def export(store_path: Path, fmt: str, out: Path | None) -> None:
    """Write the graph to a file: RDF straight from the store, or the entity graph for Gephi."""
    from kg.export import EXTENSIONS, export as write_export

    path = write_export(Store(store_path, read_only=True), fmt, out or EXPORTS_DIR / f"graph.{EXTENSIONS[fmt]}")
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
@click.option("--get", "get_target", metavar="PATH", help="Answer one GET request (e.g. '/sparql?query=…') and exit.")
def serve(store_path: Path, host: str, port: int, timeout: float, max_results: int, allow_updates: bool,
          update_token: str | None, allow_service: tuple[str, ...], get_target: str | None) -> None:
    """Serve the store as a SPARQL 1.1 endpoint with a query page (read-only unless --allow-updates)."""
    from kg import server

    settings = server.ServerSettings(host=host, port=port, timeout=timeout, max_results=max_results,
                                     allow_updates=allow_updates, update_token=update_token,
                                     allow_service=frozenset(allow_service), graph_html=EXPORTS_DIR / "graph.html")
    store = Store(store_path, read_only=not allow_updates)
    if get_target:
        response = server.get(store, settings, get_target)
        click.echo(response.body, nl=False)
        sys.exit(1 if response.status >= 400 else 0)
    server.serve(store, settings, on_start=lambda url: click.echo(f"serving {store_path} at {url} (Ctrl-C stops)"))
