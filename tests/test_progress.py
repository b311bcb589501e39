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
