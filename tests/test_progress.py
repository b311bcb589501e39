"""The status line of a long build: drawn on a terminal only, naming a document that stalls it."""

from __future__ import annotations

import io
import time

from kg.model import Document
from kg.progress import SLOW_DOCUMENT, Progress, StatusLine


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_counts_documents_and_names_one_that_takes_long() -> None:
    progress = Progress()
    documents = progress.sending(Document(id=name, text="x", source=f"in/{name}.txt") for name in ("a", "b", "c"))
    next(documents), next(documents)
    progress.extracted()
    assert progress.line().startswith("extracting: 1 documents in ")
    assert "in/b.txt" not in progress.line()
    progress._since -= SLOW_DOCUMENT + 1  # the build has waited on the next document that long
    assert f"; in/b.txt has taken {SLOW_DOCUMENT + 1:.0f} s so far" in progress.line()


def test_a_terminal_gets_the_line_and_errors_above_it_a_file_only_the_errors() -> None:
    for stream, drawn in ((Terminal(), True), (io.StringIO(), False)):
        with StatusLine(Progress(), stream, interval=0.01) as status:
            time.sleep(0.1)
            status.echo("kg: error: bad.txt: empty file")
        text = stream.getvalue()
        assert ("extracting: 0 documents" in text) is drawn
        assert text.endswith("\r\033[K") if drawn else text == "kg: error: bad.txt: empty file\n"
        assert "kg: error: bad.txt: empty file\n" in text


def test_with_a_total_the_line_says_how_long_is_left_and_drops_a_total_passed() -> None:
    progress = Progress("validating", "graphs", total=10)
    progress.started -= 4  # four seconds in
    progress.advance(2)
    assert progress.line() == "validating: 2 of 10 graphs in 4 s (0.5/s, about 16 s left)"
    progress.advance(10)  # a file can give more documents than the count of files promised
    assert progress.line() == "validating: 12 graphs in 4 s (3.0/s)"


def test_a_stage_without_counts_says_what_it_is_doing_and_for_how_long() -> None:
    progress = Progress("writing exports", unit="")
    progress.started -= 7
    assert progress.line() == "writing exports: 7 s"


def test_quiet_draws_nothing_even_on_a_terminal() -> None:
    stream = Terminal()
    with StatusLine(Progress(), stream, interval=0.01, quiet=True) as status:
        time.sleep(0.05)
        status.echo("kg: error: bad.txt: empty file")
    assert stream.getvalue() == "kg: error: bad.txt: empty file\n"


def test_validation_counts_every_graph_it_checks() -> None:
    from kg.build import build
    from kg.resources import SAMPLE_DIR
    from kg.store import Store
    from kg.validate import validate_store

    store = Store()
    build([SAMPLE_DIR / "ungd"], store, workers=1)
    progress = Progress()
    assert validate_store(store, progress).conforms
    assert progress.done == progress.total == len(store.named_graphs()) and progress.unit == "graphs"


def test_verbose_build_prints_a_line_per_document_with_its_time(tmp_path) -> None:  # noqa: ANN001
    from click.testing import CliRunner

    from kg.cli import main
    from kg.resources import SAMPLE_DIR

    result = CliRunner().invoke(main, ["build", str(SAMPLE_DIR / "ungd"), "--store", str(tmp_path / "s"),
                                       "--no-exports", "--workers", "1", "--verbose"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 12 and all(line.startswith("kg: ungd/") and " s, " in line for line in lines)
    assert "kg: ungd/CHN_76_2021.txt: CHN_76_2021: " in result.stderr
