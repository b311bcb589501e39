"""Extraction: find entities and relations in a document (Document -> Extraction)."""
