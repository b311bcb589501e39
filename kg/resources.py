"""Where the files shipped with kg live: ontology, SHACL shapes, entity data, saved queries.

They install inside the package, as ``kg.ontology`` and ``kg.queries`` (pyproject.toml maps the
checkout's ``ontology/`` and ``queries/`` there), and are found with importlib.resources, so a
wheel works wherever it is installed and an editable install reads the checkout's files.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folder(package: str) -> Path:
    """The folder of ``package``: a real path, which pyoxigraph, pyshacl and the saved-query
    listing need. pip unpacks every wheel into folders; only an import from a zip lacks one."""
    folder = files(package)
    if not isinstance(folder, Path):
        raise TypeError(f"{package} is not in a folder but in {type(folder).__name__}; install kg with pip")
    return folder


ONTOLOGY_DIR = _folder("kg.ontology")
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
ENTITY_DATA_DIR = ONTOLOGY_DIR / "entities"
LEXICON_FILE = ONTOLOGY_DIR / "lexicon" / "events.json"
TRIGGERS_FILE = ONTOLOGY_DIR / "lexicon" / "triggers.json"
QUERIES_DIR = _folder("kg.queries")

# The checkout, for what stays out of the wheel: the bundled sample (used by the tests, the
# doctests and `make demo`) and the gold standards. An installed wheel has neither.
ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "examples" / "sample"
