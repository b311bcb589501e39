"""kg: build a knowledge graph of who does what with whom from international-relations text."""

__version__ = "0.1.0"
