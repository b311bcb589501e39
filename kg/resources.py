"""Where the files shipped with the project live: ontology, entity data, saved queries, sample."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
ENTITY_DATA_DIR = ONTOLOGY_DIR / "entities"
QUERIES_DIR = ROOT / "queries"
SAMPLE_DIR = ROOT / "examples" / "sample"
