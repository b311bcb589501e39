"""Extraction: find entities and relations in a document (Document -> Extraction)."""

# What finds relations: the dependency parse, trigger words by position, lists (members after
# their organization, a place and its country) and what the knowledge base knows of entities
# named together (kg.extract.extractor).
RELATION_FINDERS = ("structure", "triggers", "lists", "known")
